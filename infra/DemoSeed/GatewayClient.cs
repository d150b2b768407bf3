using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordination.DemoSeed;

/// <summary>The platform did not answer (or only answered 502/503/504) for the whole retry budget.</summary>
public sealed class PlatformUnreachableException(string message) : Exception(message);

/// <summary>The token endpoint refused a demo account, or answered something unexpected.</summary>
public sealed class TokenRefusedException(string message) : Exception(message);

public enum RegistrationOutcome { Created, AlreadyPresent, Rejected }

public sealed record RegistrationResult(RegistrationOutcome Outcome, int StatusCode, string Body);

/// <summary>An API answer: status, <c>ETag</c> (as sent, quotes included) and body.</summary>
public sealed record ApiResponse(int StatusCode, string? ETag, string Body);

/// <summary>
/// Calls the platform through its gateway. Every request is retried while the failure looks transient
/// (connection refused or reset, no answer, 502/503/504: the platform may still be starting), with an
/// exponential backoff, for at most <see cref="retryBudget"/>; past that it throws
/// <see cref="PlatformUnreachableException"/>. Retrying a registration is safe: ids are fixed, so a POST whose
/// answer was lost comes back as 409 and counts as already present.
/// </summary>
public sealed class GatewayClient(HttpClient http, Uri gateway, TimeSpan retryBudget, TextWriter log) : IDisposable
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxAttemptDuration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);
    private const int MaxBodyShown = 2000;

    private static readonly JsonSerializerOptions ResponseJson = new(JsonSerializerDefaults.Web);

    private string? accessToken;

    public static GatewayClient Create(Uri gateway, TimeSpan retryBudget, TextWriter log)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
        // Time limits are per attempt, set by SendWithRetryAsync.
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Coordination.DemoSeed/1.0");
        return new GatewayClient(http, gateway, retryBudget, log);
    }

    /// <summary>Resource-owner password grant on the gateway's token endpoint; keeps the token for later calls.</summary>
    public async Task SignInAsync(string username, string password, CancellationToken ct) =>
        accessToken = await RequestTokenAsync(username, password, ct);

    /// <summary>Resource-owner password grant on the gateway's token endpoint: the access token of that account.</summary>
    public async Task<string> RequestTokenAsync(string username, string password, CancellationToken ct)
    {
        using var response = await SendWithRetryAsync(() => new HttpRequestMessage(HttpMethod.Post, Url("connect/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["username"] = username,
                ["password"] = password,
            }),
        }, $"token request for '{username}'", ct);

        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode == HttpStatusCode.OK && TryParse<TokenResponse>(body) is { AccessToken: { Length: > 0 } token })
            return token;
        if (response.StatusCode == HttpStatusCode.BadRequest && TryParse<OAuthError>(body) is { Error: { } error } oauth)
            throw new TokenRefusedException($"the token endpoint refused account '{username}': {error}" +
                (oauth.Description is { } description ? $" ({description})" : ""));
        throw new TokenRefusedException($"unexpected answer from the token endpoint for account '{username}': " +
            $"{Describe(response.StatusCode)}{Environment.NewLine}{Shorten(body)}");
    }

    public async Task<RegistrationResult> RegisterOrganisationAsync(OrganisationSeed organisation, CancellationToken ct)
    {
        if (accessToken is null) throw new InvalidOperationException("Sign in first.");
        using var response = await SendWithRetryAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Url("api/directory/organisations"))
            {
                // Buffered (with a Content-Length) rather than streamed chunked: friendlier to every proxy.
                Content = new StringContent(JsonSerializer.Serialize(organisation, SeedData.Json), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            return request;
        }, $"registration of '{organisation.Name}'", ct);

        var status = (int)response.StatusCode;
        var outcome = response.StatusCode switch
        {
            HttpStatusCode.Created => RegistrationOutcome.Created,
            HttpStatusCode.Conflict => RegistrationOutcome.AlreadyPresent,
            _ => RegistrationOutcome.Rejected,
        };
        var body = outcome == RegistrationOutcome.Rejected ? Shorten(await response.Content.ReadAsStringAsync(ct)) : "";
        return new RegistrationResult(outcome, status, body);
    }

    /// <summary>
    /// One API call with a bearer token, a JSON body (if any) and <c>If-Match</c> (if given); the whole answer is read.
    /// Retried like every request while the platform looks unavailable. A command whose answer was lost and that is
    /// sent again then finds the resource at a newer version (412): reported, never hidden.
    /// </summary>
    public async Task<ApiResponse> SendAsync(
        HttpMethod method, string relativeUrl, string token, string? jsonBody, string? ifMatch, string what, CancellationToken ct)
    {
        using var response = await SendWithRetryAsync(() =>
        {
            var request = new HttpRequestMessage(method, Url(relativeUrl));
            if (jsonBody is not null)
                request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (ifMatch is not null)
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return request;
        }, what, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return new ApiResponse((int)response.StatusCode, response.Headers.ETag?.Tag, body);
    }

    public static string Shorten(string body) =>
        body.Length <= MaxBodyShown ? body : body[..MaxBodyShown] + $"… ({body.Length - MaxBodyShown} more characters)";

    private async Task<HttpResponseMessage> SendWithRetryAsync(Func<HttpRequestMessage> newRequest, string what, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = FirstDelay;
        var lastProgress = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            var remaining = retryBudget - Stopwatch.GetElapsedTime(started);
            string failure;
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                attemptTimeout.CancelAfter(Max(Min(remaining, MaxAttemptDuration), TimeSpan.FromSeconds(1)));
                try
                {
                    using var request = newRequest();
                    var response = await http.SendAsync(request, attemptTimeout.Token);
                    if (!IsTransient(response.StatusCode))
                        return response;
                    failure = Describe(response.StatusCode);
                    response.Dispose();
                }
                catch (HttpRequestException e)
                {
                    failure = e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
                        ? $"{e.Message} ({inner.Message})"
                        : e.Message;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    failure = "no answer in time";
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= retryBudget)
                throw new PlatformUnreachableException(
                    $"{what}: the platform at {Shown} did not answer usefully within {Seconds(retryBudget)} " +
                    $"({attempt} attempt{(attempt > 1 ? "s" : "")}; last failure: {failure}).");
            if (attempt == 1)
                log.WriteLine($"Platform not ready at {Shown} ({failure}); retrying for up to {Seconds(retryBudget)}…");
            else if (elapsed - lastProgress >= ProgressEvery)
            {
                lastProgress = elapsed;
                log.WriteLine($"  still waiting after {Seconds(elapsed)} ({failure})…");
            }
            await Task.Delay(Min(delay, retryBudget - elapsed), ct);
            delay = Min(delay * 2, MaxDelay);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private Uri Url(string relative) => new(gateway, relative);

    private string Shown => gateway.AbsoluteUri.TrimEnd('/');

    /// <summary>An answer read leniently (the API may add fields); one that does not read is the seeder's step failure.</summary>
    public static T Read<T>(ApiResponse response, string label, Func<string, Exception> fail) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(response.Body, ResponseJson) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw fail($"{label}: unexpected answer ({e.Message}):{Environment.NewLine}  {Shorten(response.Body)}");
        }
    }

    private static T? TryParse<T>(string body) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(body, ResponseJson); }
        catch (JsonException) { return null; }
    }

    private static string Describe(HttpStatusCode status) => $"HTTP {(int)status} {status}";

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0} s";

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public void Dispose() => http.Dispose();

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("token_type")] string? TokenType);

    private sealed record OAuthError(
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? Description);
}
