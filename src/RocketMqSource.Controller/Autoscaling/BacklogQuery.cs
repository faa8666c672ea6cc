using System.Text;

namespace RocketMqSource.Controller.Autoscaling;

/// <summary>Fills a backlog query template with the source's topic and consumer group.</summary>
internal static class BacklogQuery
{
    public const string TopicPlaceholder = "{{topic}}";
    public const string ConsumerGroupPlaceholder = "{{consumerGroup}}";

    /// <summary>The values go inside PromQL double-quoted label matchers, so they are escaped as PromQL strings.</summary>
    public static string Render(string template, string topic, string consumerGroup) =>
        template.Replace(TopicPlaceholder, EscapeLabelValue(topic), StringComparison.Ordinal)
            .Replace(ConsumerGroupPlaceholder, EscapeLabelValue(consumerGroup), StringComparison.Ordinal);

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
