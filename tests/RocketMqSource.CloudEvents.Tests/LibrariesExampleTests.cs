using System.Net;
using System.Text.Json;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using RocketMqSource.CloudEvents.AspNetCore;
using RocketMqSource.CloudEvents.RocketMq;

namespace RocketMqSource.CloudEvents.Tests;

/// <summary>The usage example of docs/libraries.md (CloudEvents), kept compiling and working.</summary>
public class LibrariesExampleTests
{
    [Fact]
    public async Task The_documented_example_sends_receives_and_maps_to_RocketMQ()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();
        var received = new List<CloudEvent>();

        // --- docs/libraries.md example starts ---
        var formatter = new JsonEventFormatter();
        var order = new CloudEvent
        {
            Id = "order-42",
            Type = "com.example.order.placed",
            Source = new Uri("/orders", UriKind.Relative),
            DataContentType = "application/json",
            Data = JsonDocument.Parse("""{"pizza":"margherita"}""").RootElement,
            ["rocketmqtopic"] = "orders",
        };

        app.MapPost("/", async (HttpRequest request) =>
        {
            try
            {
                received.Add(await request.ToCloudEventAsync(formatter));
                return Results.Accepted();
            }
            catch (ArgumentException e)
            {
                return Results.BadRequest(e.Message);
            }
        });
        await app.StartAsync();
        using var response = await app.GetTestClient().PostAsync("/", order.ToHttpContent(ContentMode.Binary, formatter));

        var message = order.ToRocketMqMessage(ContentMode.Binary, formatter).SetTopic("orders").SetTag("placed").Build();
        var again = message.ToCloudEvent(formatter);
        // --- docs/libraries.md example ends ---

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("margherita", Assert.IsType<JsonElement>(Assert.Single(received).Data).GetProperty("pizza").GetString());
        Assert.Equal("orders", again["rocketmqtopic"]);
        Assert.Equal("orders", message.Properties["CE_rocketmqtopic"]);
    }
}
