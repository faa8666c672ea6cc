using RocketMqSource.Contract;

namespace RocketMqSource.Adapter.Operations;

/// <summary>
/// The container's termination message: Kubernetes shows the file's content in `kubectl describe
/// pod` (Last State) after the container ends. Holds the reason the adapter is blocked while it is,
/// and is emptied once consuming works, so a normal stop shows nothing stale.
/// </summary>
internal sealed class TerminationMessage(string path)
{
    /// <summary>The kubelet's default terminationMessagePath.</summary>
    public const string DefaultPath = "/dev/termination-log";

    /// <summary>Overrides the path (tests, local runs).</summary>
    public const string PathVariable = AdapterVariables.TerminationMessagePath;

    /// <summary>Kubernetes keeps at most 4096 bytes of it.</summary>
    private const int MaxLength = 4096;

    public string Path => path;

    public static TerminationMessage FromEnvironment(Func<string, string?> env) =>
        new(env(PathVariable) is { Length: > 0 } configured ? configured : DefaultPath);

    public void Write(string message) => TryWrite(message.Length > MaxLength ? message[..MaxLength] : message);

    public void Clear() => TryWrite(string.Empty);

    private void TryWrite(string content)
    {
        // Outside Kubernetes the default path does not exist; nothing to leave a message for.
        if (path == DefaultPath && !File.Exists(path))
        {
            return;
        }

        try
        {
            File.WriteAllText(path, content);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
