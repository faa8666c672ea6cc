using System.Text.Json.Nodes;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>The double's own API-server rules, beyond what the client tests exercise.</summary>
public class ApiServerDoubleTests
{
    private static readonly ApiPath Maps = ApiPath.TryParse("/api/v1/namespaces/ns/configmaps")!;

    [Theory]
    [InlineData("/api/v1/namespaces/ns/pods/p/status", "", "pods", "ns", "p", "status")]
    [InlineData("/apis/apps/v1/deployments", "apps", "deployments", null, null, null)]
    [InlineData("/api/v1/namespaces/kube-system", "", "namespaces", null, "kube-system", null)]
    [InlineData("/api/v1/namespaces/kube-system/status", "", "namespaces", null, "kube-system", "status")]
    [InlineData("/apis/coordination.k8s.io/v1/namespaces/ns/leases/l", "coordination.k8s.io", "leases", "ns", "l", null)]
    public void PathsParse(string path, string group, string plural, string? ns, string? name, string? sub)
    {
        Assert.Equal(new ApiPath(group, ApiPath.TryParse(path)!.Version, plural, ns, name, sub), ApiPath.TryParse(path));
    }

    [Fact]
    public void NonApiPathsDoNotParse()
    {
        Assert.Null(ApiPath.TryParse("/healthz"));
        Assert.Null(ApiPath.TryParse("/api/v1/namespaces/a/pods/b/c/d"));
    }

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web,tier", true)]
    [InlineData("app!=web", false)]
    [InlineData("app in (db, web),!missing", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("", true)]
    public void LabelSelectorsMatch(string selector, bool expected)
    {
        var obj = JsonNode.Parse("""{"metadata":{"labels":{"app":"web","tier":"front"}}}""");
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(obj));
    }

    [Fact]
    public void JsonPatchSupportsEveryOperation()
    {
        var doc = JsonNode.Parse("""{"a":{"b":1},"list":[1,2,3],"x/y":"slash"}""")!;
        var ops = JsonNode.Parse("""
            [{"op":"add","path":"/list/1","value":9},
             {"op":"remove","path":"/list/0"},
             {"op":"add","path":"/list/-","value":4},
             {"op":"copy","from":"/a/b","path":"/c"},
             {"op":"move","from":"/x~1y","path":"/moved"},
             {"op":"replace","path":"/a/b","value":{"deep":true}},
             {"op":"test","path":"/c","value":1}]
            """)!.AsArray();

        var result = JsonPatches.Apply(doc, ops);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":{"b":{"deep":true}},"list":[9,2,3,4],"c":1,"moved":"slash"}"""), result));
        Assert.Throws<JsonPatchException>(() => JsonPatches.Apply(doc, JsonNode.Parse("""[{"op":"remove","path":"/nope"}]""")!.AsArray()));
    }

    [Fact]
    public void MergePatchDeletesWithNullAndReplacesArrays()
    {
        var merged = JsonPatches.Merge(JsonNode.Parse("""{"a":1,"b":{"c":2,"d":3},"l":[1,2]}"""), JsonNode.Parse("""{"a":null,"b":{"c":5},"l":[7]}"""));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"b":{"c":5,"d":3},"l":[7]}"""), merged));
    }

    [Fact]
    public void FinalizersDelayDeletionUntilRemoved()
    {
        var store = NewStore();
        var created = store.Create(Maps, Map("f", finalizers: ["example.com/cleanup"]));

        var marked = store.Delete(Maps with { Name = "f" }, null, null);
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.NotNull(store.Get(Maps with { Name = "f" }));

        var withoutFinalizer = store.Get(Maps with { Name = "f" });
        withoutFinalizer["metadata"]!["finalizers"] = new JsonArray();
        store.Replace(Maps with { Name = "f" }, withoutFinalizer);
        var gone = Assert.Throws<ApiError>(() => store.Get(Maps with { Name = "f" }));
        Assert.Equal(404, gone.Code);
        Assert.NotNull(created["metadata"]!["uid"]);
    }

    [Fact]
    public void WriteRulesMatchTheApiServer()
    {
        var store = NewStore();
        var generated = store.Create(Maps, new JsonObject { ["metadata"] = new JsonObject { ["generateName"] = "job-" } });
        Assert.StartsWith("job-", (string)generated["metadata"]!["name"]!, StringComparison.Ordinal);

        var mismatch = Assert.Throws<ApiError>(() => store.Create(Maps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "m", ["namespace"] = "other" } }));
        Assert.Equal(400, mismatch.Code);
        Assert.Equal(422, Assert.Throws<ApiError>(() => store.Create(Maps, new JsonObject { ["metadata"] = new JsonObject() })).Code);

        var created = store.Create(Maps, Map("same"));
        var before = store.Revision;
        var unchanged = store.Replace(Maps with { Name = "same" }, created);
        Assert.Equal(created["metadata"]!["resourceVersion"]!.ToString(), unchanged["metadata"]!["resourceVersion"]!.ToString());
        Assert.Equal(before, store.Revision);

        var preconditioned = Assert.Throws<ApiError>(() => store.Delete(Maps with { Name = "same" }, null, "1"));
        Assert.Equal(("Conflict", 409), (preconditioned.Reason, preconditioned.Code));
    }

    [Fact]
    public void HistoryLimitExpiresOldVersions()
    {
        var store = NewStore();
        store.HistoryLimit = 2;
        var start = store.Revision;
        for (var i = 0; i < 3; i++)
        {
            store.Create(Maps, Map($"m{i}"));
        }

        var expired = store.Watch(Maps, LabelSelector.Everything, FieldSelector.Parse(null), start.ToString(System.Globalization.CultureInfo.InvariantCulture), false);
        Assert.True(expired.Lines.TryRead(out var line));
        Assert.Contains("\"code\":410", line, StringComparison.Ordinal);

        var recent = store.Watch(Maps, LabelSelector.Everything, FieldSelector.Parse(null), (store.Revision - 2).ToString(System.Globalization.CultureInfo.InvariantCulture), false);
        Assert.True(recent.Lines.TryRead(out var replayed));
        Assert.Contains("\"m1\"", replayed, StringComparison.Ordinal);
    }

    private static ApiObjectStore NewStore() => new(_ => false, TimeProvider.System);

    private static JsonObject Map(string name, string[]? finalizers = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (finalizers is not null)
        {
            meta["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]);
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = meta, ["data"] = new JsonObject { ["k"] = "v" } };
    }
}
