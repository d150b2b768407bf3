using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Coordination.ServiceDefaults.Http;
using Microsoft.AspNetCore.Authentication;

namespace Coordination.Portal.Api;

/// <summary>An RFC 7807 answer of an API, as the pages show it: a French title and detail, and French messages per field.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static ApiProblem Unreachable { get; } =
        new(503, "Service momentanément indisponible", "Le service ne répond pas. Réessayez dans quelques secondes.", new Dictionary<string, string[]>());

    public string Message => Detail is { Length: > 0 } ? $"{Title} : {Detail}" : Title;

    /// <summary>The messages for a field (the API's JSON path, e.g. <c>person.ageBand</c>), and for its children.</summary>
    public IEnumerable<string> For(string field) =>
        Errors.Where(e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase)
                          || e.Key.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase)
                          || e.Key.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Value);
}

public sealed record ApiResult<T>(HttpStatusCode Status, T? Value, string? ETag, ApiProblem? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>
/// The APIs, called through the gateway (<c>Portal:ApiBaseAddress</c>) with the signed-in user's access token. Never logs
/// bodies: they hold personal data.
/// </summary>
public sealed class PortalApi(HttpClient http, IHttpContextAccessor accessor)
{
    public const string ClientName = "api";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ApiResult<T>> Get<T>(string path, CancellationToken ct = default) => Send<T>(HttpMethod.Get, path, null, null, ct);

    public Task<ApiResult<T>> Post<T>(string path, object? body, string? ifMatch = null, CancellationToken ct = default) =>
        Send<T>(HttpMethod.Post, path, body ?? new { }, ifMatch, ct);

    public Task<ApiResult<T>> Send<T>(HttpMethod method, string path, object? body, string? ifMatch, CancellationToken ct = default) =>
        Send<T>(method, path, body is null ? null : JsonContent.Create(body, body.GetType(), options: Json), ifMatch, ct);

    /// <summary>Any body (a CSV file for an import), with the same token, correlation id and problem reading.</summary>
    public async Task<ApiResult<T>> Send<T>(HttpMethod method, string path, HttpContent? content, string? ifMatch, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        var context = accessor.HttpContext;
        if (context is not null)
        {
            if (await context.GetTokenAsync("access_token") is { } token)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (CorrelationIds.Current(context) is { } correlation)
                request.Headers.TryAddWithoutValidation(CorrelationIds.HeaderName, correlation);
            // The person's address (as the gateway told the portal), for the services' audit: the gateway believes it from
            // the portal, a trusted proxy (ForwardedHeaders settings), and passes it on in its own X-Forwarded-For.
            if (context.Connection.RemoteIpAddress is { } address)
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", address.ToString());
        }
        request.Content = content;
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch.StartsWith('"') ? ifMatch : $"\"{ifMatch}\"");

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException
                                       or Polly.CircuitBreaker.BrokenCircuitException)
        {
            return new ApiResult<T>(HttpStatusCode.ServiceUnavailable, default, null, ApiProblem.Unreachable);
        }
        using (response)
        {
            var etag = response.Headers.ETag?.Tag.Trim('"');
            if (response.IsSuccessStatusCode)
            {
                T? value = default;
                if (response.StatusCode != HttpStatusCode.NoContent && typeof(T) != typeof(object) && response.Content.Headers.ContentLength != 0)
                    value = await response.Content.ReadFromJsonAsync<T>(Json, ct);
                return new ApiResult<T>(response.StatusCode, value, etag, null);
            }
            return new ApiResult<T>(response.StatusCode, default, etag, await ReadProblem(response, ct));
        }
    }

    private static async Task<ApiProblem> ReadProblem(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        string title = Problems.TitleFor(status), detail = "";
        try
        {
            if (response.Content.Headers.ContentType?.MediaType?.Contains("json") == true)
            {
                var json = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
                if (json.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String) title = t.GetString()!;
                if (json.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String) detail = d.GetString()!;
                if (json.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                    foreach (var field in e.EnumerateObject())
                        errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? [.. field.Value.EnumerateArray().Select(v => v.ToString())]
                            : [field.Value.ToString()];
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's error page): the status title says enough.
        }
        if (status == 401)
            detail = "Votre session a expiré : reconnectez-vous.";
        return new ApiProblem(status, title, detail, errors);
    }
}
