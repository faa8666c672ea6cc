using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RocketMqSource.Emulator.Broker;

namespace RocketMqSource.Emulator.Hosting;

/// <summary>GET /stats: topics and per-group backlog / in-flight counts as JSON.</summary>
internal static class StatsEndpoint
{
    public const string Path = "/stats";

    public static async Task WriteAsync(HttpContext http, EmulatedBroker broker, int clients)
    {
        http.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("clients", clients);
            json.WriteStartArray("topics");
            foreach (var topic in broker.TopicStats())
            {
                json.WriteStartObject();
                json.WriteString("topic", topic.Topic);
                json.WriteBoolean("fifo", topic.Fifo);
                json.WriteNumber("stored", topic.Stored);
                json.WriteNumber("delayed", topic.Delayed);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("groups");
            foreach (var group in broker.AllStats())
            {
                json.WriteStartObject();
                json.WriteString("group", group.Group);
                json.WriteString("topic", group.Topic);
                json.WriteNumber("backlog", group.Backlog);
                json.WriteNumber("inFlight", group.InFlight);
                json.WriteNumber("acked", group.Acked);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await http.Response.Body.WriteAsync(buffer.ToArray(), http.RequestAborted);
    }
}
