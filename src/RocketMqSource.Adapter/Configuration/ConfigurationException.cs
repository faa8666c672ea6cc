namespace RocketMqSource.Adapter.Configuration;

/// <summary>One configuration variable is missing or invalid; the message is a single line naming it.</summary>
internal sealed class ConfigurationException : Exception
{
    public ConfigurationException(string variable, string problem)
        : base($"{variable}: {problem}")
    {
        Variable = variable;
        Problem = problem;
    }

    public string Variable { get; }

    public string Problem { get; }
}
