namespace RocketMqSource.Packaging.Tests.Support;

/// <summary>Stand-ins for the tools a script calls (docker, kind, kubectl, curl), written as executables on a test PATH.</summary>
internal static class StandIn
{
    public static void Write(string path, string script)
    {
        File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
