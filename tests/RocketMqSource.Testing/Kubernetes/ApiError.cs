using System.Text.Json.Nodes;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>An API failure the double answers with a metav1.Status body.</summary>
public sealed class ApiError(int code, string reason, string message, string? name = null, string? kind = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public static ApiError NotFound(ApiPath path, string name) =>
        new(404, "NotFound", $"{path.Plural}{GroupSuffix(path)} \"{name}\" not found", name, path.Plural);

    public static ApiError AlreadyExists(ApiPath path, string name) =>
        new(409, "AlreadyExists", $"{path.Plural}{GroupSuffix(path)} \"{name}\" already exists", name, path.Plural);

    public static ApiError Conflict(ApiPath path, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {path.Plural}{GroupSuffix(path)} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", name, path.Plural);

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Invalid(string message) => new(422, "Invalid", message);

    public static ApiError Expired(long requested, long oldest) =>
        new(410, "Expired", $"too old resource version: {requested} ({oldest})");

    public JsonObject ToStatus() => StatusBody(Code, Reason, Message, name, kind);

    /// <summary>A metav1.Status object.</summary>
    public static JsonObject StatusBody(int code, string reason, string message, string? name = null, string? kind = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = code < 400 ? "Success" : "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (name is not null || kind is not null)
        {
            status["details"] = new JsonObject { ["name"] = name, ["kind"] = kind };
        }

        return status;
    }

    private static string GroupSuffix(ApiPath path) => path.Group.Length == 0 ? "" : $".{path.Group}";
}
