using System.Globalization;
using System.Text;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using Xunit.Abstractions;
using RocketMqSource.Testing;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>
/// `kubectl get rocketmqsources` as the CRD's printer columns (NAME, READY, REASON, SINK, REPLICAS, AGE)
/// render the status this controller writes — the README's example output comes from here.
/// </summary>
public sealed class KubectlTableTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Printer_columns_show_readiness_reason_and_sink()
    {
        await using var harness = await ControllerHarness.StartAsync();
        harness.SeedBroker();
        harness.StartController();
        var orders = await harness.CreateSourceAsync();
        var refunds = Fixtures.Source(s => s.Sink!.Ref!.Name = "payments");
        refunds.Metadata!.Name = "refunds";
        await harness.CreateSourceAsync(refunds);
        await harness.MakeAvailableAsync(await Eventually.ValueAsync(() => harness.Deployment(orders), "the adapter Deployment"));
        var ready = await harness.WaitForConditionAsync("Ready", "True");
        var blocked = await harness.WaitForConditionAsync("Ready", "False", Reasons.SinkNotFound, "refunds");

        // Ages are shown 42 s after creation so the example does not depend on the test's speed.
        var now = ready.Metadata!.CreationTimestamp!.Value.AddSeconds(42);
        var table = Render([ready, blocked], now);
        output.WriteLine(table);

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NAME +READY +REASON +SINK +REPLICAS +AGE$", lines[0]);
        // Ready=True has no reason (as Knative's), so the REASON cell stays blank.
        Assert.Matches("^orders +True +http://broker-ingress.knative-eventing.svc.cluster.local/food/default +1 +42s$", lines[1]);
        Assert.Matches("^refunds +False +SinkNotFound +(4[0-2]s)$", lines[2]);
    }

    /// <summary>kubectl's layout: columns padded to the widest cell plus three spaces; empty cells stay blank.</summary>
    private static string Render(IReadOnlyList<V1Alpha1RocketMQSource> sources, DateTimeOffset now)
    {
        var rows = new List<string[]> { new[] { "NAME", "READY", "REASON", "SINK", "REPLICAS", "AGE" } };
        rows.AddRange(sources.Select(s =>
        {
            var readyCondition = s.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
            return new[]
            {
                s.Metadata!.Name!, readyCondition?.Status ?? "", readyCondition?.Reason ?? "", s.Status?.SinkUri ?? "",
                s.Status?.Replicas?.ToString(CultureInfo.InvariantCulture) ?? "", Age(now - s.Metadata.CreationTimestamp!.Value),
            };
        }));
        var widths = Enumerable.Range(0, 6).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Concat(row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i] + 3))).TrimEnd());
        }

        return text.ToString();
    }

    private static string Age(TimeSpan age) => age.TotalMinutes < 2
        ? ((int)age.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
        : ((int)age.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m";
}
