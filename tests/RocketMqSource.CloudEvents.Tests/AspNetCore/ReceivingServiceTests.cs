using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using RocketMqSource.CloudEvents.AspNetCore;
using RocketMqSource.CloudEvents.Tests.Support;

namespace RocketMqSource.CloudEvents.Tests.AspNetCore;

/// <summary>
/// A receiving service built the way docs/libraries.md shows: read the event with our helpers, answer 400
/// on the SDK's ArgumentException, reply with an event. The client reads the reply with the SDK's reader.
/// </summary>
public sealed class ReceivingServiceTests : IAsyncLifetime
{
    private static readonly JsonEventFormatter Formatter = new();
    private IHost? _host;

    public async Task InitializeAsync()
    {
        _host = await new HostBuilder()
            .ConfigureWebHost(web => web.UseTestServer().Configure(app => app.Run(async context =>
            {
                try
                {
                    var received = await context.Request.ToCloudEventAsync(Formatter);
                    var reply = new CloudEvent
                    {
                        Id = "reply-" + received.Id,
                        Source = new Uri("/order-service", UriKind.Relative),
                        Type = "com.example.order.accepted",
                        DataContentType = received.DataContentType,
                        Data = received.Data,
                        ["greeting"] = (string?)received["greeting"],
                    };
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    await reply.CopyToHttpResponseAsync(context.Response, ContentMode.Binary, Formatter);
                }
                catch (ArgumentException e)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await context.Response.WriteAsync(e.Message);
                }
            })))
            .StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    [Theory]
    [InlineData(ContentMode.Binary)]
    [InlineData(ContentMode.Structured)]
    public async Task The_service_reads_the_event_and_the_client_reads_its_reply(ContentMode mode)
    {
        var cloudEvent = HttpRequestExtensionsTests.Event("order-1");
        cloudEvent.DataContentType = "application/octet-stream";
        cloudEvent.Data = new byte[] { 1, 2, 3 };
        cloudEvent["greeting"] = "Grüße 😀";

        using var response = await _host!.GetTestClient().PostAsync("/", cloudEvent.ToHttpContent(mode, Formatter));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.IsCloudEvent());
        var reply = await response.ToCloudEventAsync(Formatter);
        var expected = new CloudEvent
        {
            Id = "reply-order-1",
            Source = new Uri("/order-service", UriKind.Relative),
            Type = "com.example.order.accepted",
            DataContentType = "application/octet-stream",
            Data = new byte[] { 1, 2, 3 },
            ["greeting"] = "Grüße 😀",
        };
        EventAssert.Equivalent(expected, reply);
    }

    [Fact]
    public async Task A_request_that_is_not_a_CloudEvent_gets_400_with_the_reason()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        content.Headers.TryAddWithoutValidation("ce-specversion", "1.0");
        content.Headers.TryAddWithoutValidation("ce-source", "/s");
        content.Headers.TryAddWithoutValidation("ce-type", "t");

        using var response = await _host!.GetTestClient().PostAsync("/", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("missing required attributes: id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
