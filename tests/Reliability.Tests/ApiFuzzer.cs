using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordination.Reliability.Tests;

/// <summary>
/// Bad input for every operation of an OpenAPI document: malformed JSON, wrong types, unknown enum values,
/// invalid ids, huge bodies and strings, bad If-Match headers, wrong content types. Deterministic (fixed seed).
/// Each request is checked: never a 5xx, never a hang, a problem detail for every error.
/// </summary>
public sealed class ApiFuzzer(JsonElement document, Random random, IReadOnlyList<Guid> knownIds)
{
    public sealed record Operation(string Method, string Path, JsonElement Definition);
    public sealed record Case(string Method, string Url, string Description, HttpContent? Content, string? IfMatch);
    public sealed record Outcome(Case Case, int Status, string? ContentType, string Body);

    private const int HugeBody = 300 * 1024; // above the 256 KiB limit of every service
    // Values in URLs stay under 1 KB each so that a URL stays under Kestrel's 8 KB request line: beyond it Kestrel
    // itself answers 414 before any of our code runs (no problem detail possible there).

    public IReadOnlyList<Operation> Operations()
    {
        var operations = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var method in path.Value.EnumerateObject())
                if (method.Name is "get" or "post" or "put" or "delete" or "patch")
                    operations.Add(new Operation(method.Name.ToUpperInvariant(), path.Name, method.Value));
        return operations;
    }

    public IEnumerable<Case> Cases(Operation operation, int perOperation)
    {
        var parameters = operation.Definition.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
        var body = BodySchema(operation.Definition);
        for (var i = 0; i < perOperation; i++)
        {
            var ifMatch = (i % 5) switch { 0 => Pick(BadIfMatch), 1 => "\"1\"", 2 or 3 => "\"3\"", _ => null };
            if (body is null)
            {
                // Nothing but parameters: one of them is always wrong (else a valid command could rightly succeed).
                var hasPath = parameters.Any(p => p.GetProperty("in").GetString() == "path");
                var badPath = hasPath && (i % 2 == 0 || operation.Method == "GET");
                var badIfMatch = !badPath ? Pick(BadIfMatch) : ifMatch;
                yield return new Case(operation.Method, Url(operation.Path, parameters, badPath, badQuery: i % 2 == 1),
                    badPath ? "invalid id" : "invalid If-Match", null, badIfMatch);
                continue;
            }
            var url = Url(operation.Path, parameters, badPathParameter: i % 3 == 0, badQuery: i % 2 == 1);
            var (description, content) = (i % 8) switch
            {
                0 => ("malformed JSON", Json(Pick(Malformed))),
                1 => ("wrong root type", Json(Pick(WrongRoots))),
                2 => ("huge body", Json("{\"x\":\"" + new string('a', HugeBody) + "\"}")),
                3 => ("wrong content type", (HttpContent)new StringContent("{}", Encoding.UTF8, "text/plain")),
                _ => Mutated(body),
            };
            yield return new Case(operation.Method, url, description, content, ifMatch);
        }
    }

    public static async Task<Outcome> Send(HttpClient client, Case @case)
    {
        using var request = new HttpRequestMessage(new HttpMethod(@case.Method), @case.Url) { Content = @case.Content };
        if (@case.IfMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", @case.IfMatch);
        // A body over the limit is refused (413) before it is read: with 100-continue the client waits for that
        // answer instead of writing into a connection the server is closing.
        if (@case.Content is not null)
            request.Headers.ExpectContinue = true;
        try
        {
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return new Outcome(@case, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length > 400 ? text[..400] : text);
        }
        catch (TaskCanceledException)
        {
            return new Outcome(@case, 0, null, "no answer in time");
        }
        catch (HttpRequestException exception)
        {
            return new Outcome(@case, -1, null, exception.InnerException?.Message ?? exception.Message);
        }
    }

    /// <summary>Why this outcome breaks the rules, or null.</summary>
    public static string? Violation(Outcome outcome, bool mutating) => outcome switch
    {
        { Status: 0 } => "hang",
        { Status: -1 } => "connection dropped",
        { Status: >= 500 } => "server error",
        { Status: >= 400, ContentType: not "application/problem+json" } => "error without a problem detail",
        { Status: >= 200 and < 300 } when mutating => "bad input accepted",
        _ => null,
    };

    // ---------------------------------------------------------------- values

    private static readonly string[] Malformed = ["{", "{\"a\":", "[1,2", "nul", "{\"a\" 1}", "\u0000\u0001\u0002", "{'single': 'quotes'}", "{\"a\":1,}"];
    private static readonly string[] WrongRoots = ["[]", "\"text\"", "42", "null", "true", "[{}]"];
    private static readonly string[] BadIds = ["not-a-guid", "0", "00000000-0000-0000-0000-00000000000g", "' OR 1=1 --", "%2e%2e%2f", "-1", new string('9', 700)];
    private static readonly string[] BadIfMatch = ["\"abc\"", "W/\"1\"", "\"-1\"", "\"99999999999999999999\"", "*", "1", "\"\""];
    private static readonly string[] BadScalars = ["zzz-unknown", "", "2026-13-45", "-1", "1e40", "<script>", new string('x', 700)];

    private string Pick(string[] values) => values[random.Next(values.Length)];

    private static StringContent Json(string text) => new(text, new MediaTypeHeaderValue("application/json"));

    private string Url(string path, List<JsonElement> parameters, bool badPathParameter, bool badQuery)
    {
        var url = new StringBuilder(path);
        foreach (var parameter in parameters.Where(p => p.GetProperty("in").GetString() == "path"))
        {
            var name = parameter.GetProperty("name").GetString()!;
            var value = badPathParameter ? Uri.EscapeDataString(Pick(BadIds)) : ValidPathValue(parameter);
            url.Replace("{" + name + "}", value);
        }
        var query = parameters.Where(p => p.GetProperty("in").GetString() == "query").ToList();
        if (query.Count > 0)
        {
            url.Append('?');
            url.Append(string.Join('&', query.Select(p =>
                $"{p.GetProperty("name").GetString()}={Uri.EscapeDataString(badQuery ? Pick(BadScalars) : Pick(BadIds))}")));
        }
        return url.ToString();
    }

    private string ValidPathValue(JsonElement parameter)
    {
        var schema = parameter.TryGetProperty("schema", out var s) ? Resolve(s) : default;
        return Type(schema) switch
        {
            "integer" or "number" => random.Next(0, 1000).ToString(),
            // Mostly ids that exist (organisations, referrals), so that validation past the 404 is reached too.
            _ when Format(schema) == "uuid" => (knownIds.Count > 0 && random.Next(4) > 0 ? knownIds[random.Next(knownIds.Count)] : Guid.NewGuid()).ToString(),
            _ => "x" + random.Next(1000),
        };
    }

    private JsonElement? BodySchema(JsonElement operation)
    {
        if (!operation.TryGetProperty("requestBody", out var body) || !body.TryGetProperty("content", out var content))
            return null;
        foreach (var media in content.EnumerateObject())
            if (media.Name.Contains("json") && media.Value.TryGetProperty("schema", out var schema))
                return Resolve(schema);
        return null;
    }

    /// <summary>A plausible body from the schema, with one property made wrong (or one unknown property added).</summary>
    private (string, HttpContent) Mutated(JsonElement? schema)
    {
        var valid = Example(schema, depth: 0) as JsonObject ?? new JsonObject();
        var names = valid.Select(p => p.Key).ToList();
        if (names.Count == 0 || random.Next(6) == 0)
        {
            valid["zzzUnknownField"] = 1;
            return ("unknown field", Json(valid.ToJsonString()));
        }
        var name = names[random.Next(names.Count)];
        var property = PropertySchema(schema, name);
        var (what, value) = Wrong(property);
        valid[name] = value;
        return ($"{name}: {what}", Json(valid.ToJsonString()));
    }

    private (string, JsonNode?) Wrong(JsonElement? schema)
    {
        var type = Type(schema);
        var options = new List<(string, Func<JsonNode?>)>
        {
            ("wrong type (object)", () => new JsonObject { ["a"] = 1 }),
            ("wrong type (array of nulls)", () => new JsonArray(null, null)),
            ("huge string", () => JsonValue.Create(new string('é', 60_000))),
            ("huge number", () => JsonNode.Parse("1e400")),
        };
        if (type is "string")
        {
            options.Add(("wrong type (number)", () => JsonValue.Create(42)));
            // Only where the schema lists the values: any text is valid in a free-text field (a withdrawal's reason).
            if (schema is { } e && e.TryGetProperty("enum", out _))
                options.Add(("unknown enum value", () => JsonValue.Create("zzz-unknown-value")));
            if (Format(schema) == "uuid") options.Add(("invalid id", () => JsonValue.Create("not-a-guid")));
            if (Format(schema) is "date-time" or "date") options.Add(("invalid date", () => JsonValue.Create("2026-13-45T25:61:00")));
        }
        else if (type is "integer" or "number")
        {
            options.Add(("wrong type (string)", () => JsonValue.Create("douze")));
            options.Add(("negative", () => JsonValue.Create(-2147483648)));
            options.Add(("fraction", () => JsonValue.Create(0.5)));
        }
        else if (type is "boolean")
            options.Add(("wrong type (string)", () => JsonValue.Create("yes")));
        else if (type is "array")
        {
            options.Add(("wrong type (string)", () => JsonValue.Create("not-an-array")));
            options.Add(("10 000 items", () => new JsonArray([.. Enumerable.Range(0, 10_000).Select(i => (JsonNode?)JsonValue.Create("zzz" + i))])));
        }
        var (what, make) = options[random.Next(options.Count)];
        return (what, make());
    }

    private JsonNode? Example(JsonElement? schema, int depth)
    {
        if (schema is not { } s || depth > 4) return null;
        if (s.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
            return JsonNode.Parse(values[random.Next(values.GetArrayLength())].GetRawText());
        switch (Type(s))
        {
            case "object":
                var result = new JsonObject();
                if (s.TryGetProperty("properties", out var properties))
                    foreach (var property in properties.EnumerateObject())
                        result[property.Name] = Example(Resolve(property.Value), depth + 1);
                return result;
            case "array":
                return s.TryGetProperty("items", out var items) ? new JsonArray(Example(Resolve(items), depth + 1)) : new JsonArray();
            case "integer": return JsonValue.Create(random.Next(1, 100));
            case "number": return JsonValue.Create(random.Next(1, 100) / 2.0);
            case "boolean": return JsonValue.Create(random.Next(2) == 0);
            case "string":
                return Format(s) switch
                {
                    "uuid" => JsonValue.Create(Guid.NewGuid()),
                    "date-time" => JsonValue.Create(DateTimeOffset.UtcNow.AddDays(random.Next(1, 30))),
                    "date" => JsonValue.Create(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd")),
                    _ => JsonValue.Create("fuzz" + random.Next(1000)),
                };
            default: return null;
        }
    }

    private JsonElement? PropertySchema(JsonElement? schema, string name) =>
        schema is { } s && s.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var property)
            ? Resolve(property)
            : null;

    /// <summary>Follows $ref, and takes the first non-null branch of oneOf/anyOf (nullable types).</summary>
    private JsonElement Resolve(JsonElement schema)
    {
        for (var i = 0; i < 10; i++)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()!.Split('/').Last();
                schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
                continue;
            }
            foreach (var key in new[] { "oneOf", "anyOf", "allOf" })
                if (schema.TryGetProperty(key, out var branches))
                    foreach (var branch in branches.EnumerateArray())
                        if (Type(branch) != "null")
                        {
                            schema = branch;
                            goto next;
                        }
            return schema;
        next:;
        }
        return schema;
    }

    private static string? Type(JsonElement? schema)
    {
        if (schema is not { } s || s.ValueKind != JsonValueKind.Object || !s.TryGetProperty("type", out var type)) return null;
        // OpenAPI 3.1: "type": ["string", "null"].
        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
            : type.GetString();
    }

    private static string? Format(JsonElement? schema) =>
        schema is { } s && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("format", out var f) ? f.GetString() : null;
}
