namespace RocketMqSource.Controller.Tests.Manifests;

/// <summary>
/// Validates every sample against the CRD once per test run (one Node process), shared by
/// the tests through xunit's class fixture.
/// </summary>
public sealed class SampleValidation : IAsyncLifetime
{
    internal IReadOnlyDictionary<string, Sample> Valid { get; private set; } = new Dictionary<string, Sample>();

    internal IReadOnlyDictionary<string, Sample> Invalid { get; private set; } = new Dictionary<string, Sample>();

    internal CrdValidation Result { get; private set; } = new([], new Dictionary<string, CrdVerdict>());

    public async Task InitializeAsync()
    {
        Valid = Sample.Load("valid").ToDictionary(s => s.Name);
        Invalid = Sample.Load("invalid").ToDictionary(s => s.Name);
        var objects = Valid.Values.Select(s => (Id: "valid/" + s.Name, (System.Text.Json.Nodes.JsonNode)s.Manifest.Document))
            .Concat(Invalid.Values.Select(s => (Id: "invalid/" + s.Name, (System.Text.Json.Nodes.JsonNode)s.Manifest.Document)));
        Result = await CrdSchema.ValidateAsync(Manifest.Crd().Document, "v1alpha1", objects);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    internal CrdVerdict VerdictOf(string id) => Result.Results[id];
}
