using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace RocketMqSource.Logging;

/// <summary>The knative.dev/* keys a component puts on its log lines (knative/pkg logging/logkey/constants.go).</summary>
public static class KnativeLogKeys
{
    /// <summary>The pod's name, as sharedmain adds it from POD_NAME (knative/pkg injection/sharedmain/main.go SetupLoggerOrDie).</summary>
    public const string Pod = "knative.dev/pod";

    /// <summary>The namespace/name of the object a line is about (a reconciled resource; the adapter's source).</summary>
    public const string Key = "knative.dev/key";

    /// <summary>The reconciler's type, as Knative's generated controllers name it.</summary>
    public const string ControllerType = "knative.dev/controller";

    /// <summary>The reconciled kind, group.Kind (knative/pkg's generated controller.go: "apps.Deployment").</summary>
    public const string Kind = "knative.dev/kind";

    /// <summary>The keys whose values are present, in order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Of(params (string Key, string? Value)[] keys) =>
        [.. keys.Where(k => !string.IsNullOrEmpty(k.Value)).Select(k => KeyValuePair.Create(k.Key, k.Value!))];
}

public static class ZapLogging
{
    /// <summary>Console logs in Knative's zap shape, with <paramref name="context"/> on every line.</summary>
    public static ILoggingBuilder AddZapJsonConsole(this ILoggingBuilder logging, IReadOnlyList<KeyValuePair<string, string>> context, TimeProvider? time = null)
    {
        logging.AddConsole(console => console.FormatterName = JsonLineConsoleFormatter.FormatterName);
        // Registered directly: AddConsoleFormatter would bind formatter options by reflection, which the formatter has none of.
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(ConsoleFormatter), new JsonLineConsoleFormatter(context, time)));
        return logging;
    }
}
