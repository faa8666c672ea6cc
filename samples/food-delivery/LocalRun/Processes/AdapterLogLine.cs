using System.Text.Json;

namespace FoodDelivery.LocalRun.Processes;

/// <summary>
/// The adapter logs one JSON object per line. For a person watching the local run, a line is
/// shortened to its level, message and the first line of its error (no stack trace); lines that
/// are not JSON (the one-line configuration error on stderr) are shown as they are. Pure.
/// </summary>
internal static class AdapterLogLine
{
    public static string Summarize(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.StartsWith('{'))
        {
            return line;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var level = Text(root, "level") ?? "log";
            var message = Text(root, "message") ?? line;
            var error = Text(root, "error");
            var firstErrorLine = error?.Split('\n', 2)[0].Trim();
            return string.IsNullOrEmpty(firstErrorLine) ? $"{level}: {message}" : $"{level}: {message}: {firstErrorLine}";
        }
        catch (JsonException)
        {
            return line;
        }
    }

    /// <summary>Warnings and errors are worth showing while the run goes on; info lines only with --verbose.</summary>
    public static bool IsProblem(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.StartsWith('{'))
        {
            return true;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            return Text(json.RootElement, "level") is not ("info" or "debug" or "trace");
        }
        catch (JsonException)
        {
            return true;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
