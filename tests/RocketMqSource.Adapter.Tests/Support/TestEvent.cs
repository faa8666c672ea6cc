using System.Net.Http.Headers;
using System.Text;
using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>A minimal binary-mode event for tests: ce-* headers and the data as the body.</summary>
internal sealed class TestEvent(string id, byte[] data, IReadOnlyDictionary<string, string>? extensions = null) : IOutgoingEvent
{
    public string Id { get; } = id;

    public IReadOnlyDictionary<string, string> Extensions { get; } = extensions ?? new Dictionary<string, string>();

    public int RequestsCreated { get; private set; }

    public static TestEvent Of(string id, string data = "{}") => new(id, Encoding.UTF8.GetBytes(data));

    public HttpRequestMessage CreateRequest(Uri target)
    {
        RequestsCreated++;
        var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(data) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-id", Id);
        request.Headers.Add("ce-source", "/test");
        request.Headers.Add("ce-type", "dev.knative.rocketmq.event");
        foreach (var (name, value) in Extensions)
        {
            request.Headers.Add("ce-" + name, value);
        }

        return request;
    }

    public IOutgoingEvent WithExtensions(IReadOnlyDictionary<string, string> more)
    {
        var merged = new Dictionary<string, string>(Extensions);
        foreach (var (name, value) in more)
        {
            merged[name] = value;
        }

        return new TestEvent(Id, data, merged);
    }
}
