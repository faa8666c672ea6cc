using System.Globalization;
using System.Text;

namespace RocketMqSource.Controller.Autoscaling;

/// <summary>Fills a backlog or wake query template with the source's topic, consumer group and wake window.</summary>
internal static class BacklogQuery
{
    public const string TopicPlaceholder = "{{topic}}";
    public const string ConsumerGroupPlaceholder = "{{consumerGroup}}";
    public const string WindowPlaceholder = "{{window}}";

    /// <summary>
    /// The values go inside PromQL double-quoted label matchers, so they are escaped as PromQL
    /// strings; the window becomes a PromQL duration in seconds.
    /// </summary>
    public static string Render(string template, string topic, string consumerGroup, TimeSpan window) =>
        template.Replace(TopicPlaceholder, EscapeLabelValue(topic), StringComparison.Ordinal)
            .Replace(ConsumerGroupPlaceholder, EscapeLabelValue(consumerGroup), StringComparison.Ordinal)
            .Replace(WindowPlaceholder, string.Create(CultureInfo.InvariantCulture, $"{(long)window.TotalSeconds}s"), StringComparison.Ordinal);

    public static string EscapeLabelValue(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            escaped.Append(c switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                '\n' => @"\n",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
