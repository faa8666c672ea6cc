using System.Text.Json.Nodes;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>RFC 7386 merge patch and RFC 6902 JSON patch on System.Text.Json nodes.</summary>
public static class JsonPatches
{
    /// <summary>Merge patch: objects merge recursively, null deletes, everything else replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Merge(result[key], value);
            }
        }

        return result;
    }

    /// <summary>Applies the operations in order; a failing "test" or a bad path throws <see cref="JsonPatchException"/>.</summary>
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var operation in operations)
        {
            var op = operation?["op"]?.GetValue<string>() ?? throw new JsonPatchException("operation without op");
            var path = operation["path"]?.GetValue<string>() ?? throw new JsonPatchException("operation without path");
            switch (op)
            {
                case "add":
                    Add(root, path, operation["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, operation["value"]?.DeepClone());
                    break;
                case "move":
                    var moved = Remove(root, From(operation));
                    Add(root, path, moved);
                    break;
                case "copy":
                    Add(root, path, Resolve(root, From(operation))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), operation["value"]))
                    {
                        throw new JsonPatchException($"test failed at {path}");
                    }

                    break;
                default:
                    throw new JsonPatchException($"unknown op '{op}'");
            }
        }

        return root["doc"] ?? throw new JsonPatchException("the patch removed the whole document");
    }

    private static string From(JsonNode operation) =>
        operation["from"]?.GetValue<string>() ?? throw new JsonPatchException("move/copy without from");

    private static (JsonNode Parent, string Token) Locate(JsonObject root, string pointer)
    {
        if (pointer.Length > 0 && pointer[0] != '/')
        {
            throw new JsonPatchException($"invalid pointer '{pointer}'");
        }

        var tokens = new List<string> { "doc" };
        tokens.AddRange(pointer.Length == 0 ? [] : pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)));
        JsonNode parent = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            parent = Child(parent, tokens[i]) ?? throw new JsonPatchException($"path not found: {pointer}");
        }

        return (parent, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode parent, string token) => parent switch
    {
        JsonObject obj => obj[token],
        JsonArray array when int.TryParse(token, out var index) && index >= 0 && index < array.Count => array[index],
        _ => null,
    };

    private static JsonNode? Resolve(JsonObject root, string pointer)
    {
        var (parent, token) = Locate(root, pointer);
        return parent switch
        {
            JsonObject obj when obj.ContainsKey(token) => obj[token],
            JsonArray array when int.TryParse(token, out var index) && index >= 0 && index < array.Count => array[index],
            _ => throw new JsonPatchException($"path not found: {pointer}"),
        };
    }

    private static void Add(JsonObject root, string pointer, JsonNode? value)
    {
        var (parent, token) = Locate(root, pointer);
        switch (parent)
        {
            case JsonObject obj:
                obj[token] = value;
                break;
            case JsonArray array when token == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(token, out var index) && index >= 0 && index <= array.Count:
                array.Insert(index, value);
                break;
            default:
                throw new JsonPatchException($"cannot add at {pointer}");
        }
    }

    private static JsonNode? Remove(JsonObject root, string pointer)
    {
        var (parent, token) = Locate(root, pointer);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(token):
                var value = obj[token];
                obj.Remove(token);
                return value;
            case JsonArray array when int.TryParse(token, out var index) && index >= 0 && index < array.Count:
                var item = array[index];
                array.RemoveAt(index);
                return item;
            default:
                throw new JsonPatchException($"path not found: {pointer}");
        }
    }
}

/// <summary>A JSON patch could not be applied (the API server answers 422).</summary>
public sealed class JsonPatchException(string message) : Exception(message);
