using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Coordination.Benchmarks;

/// <summary>What one request came back with. Status 0: no HTTP answer (the error says why).</summary>
public readonly record struct Outcome(int Status, string? Error)
{
    public bool IsCreated => Status == (int)HttpStatusCode.Created;
}

public sealed class PlatformUnreachableException(string message) : Exception(message);

/// <summary>
/// HTTP/1.1 keep-alive client for the platform: one connection pool, sized for the highest concurrency, so
/// connections are opened once and reused. Keeps the first answer body of each failing status for diagnosis.
/// </summary>
public sealed class PlatformClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpClient http;
    private readonly byte[] sendBody;
    private AuthenticationHeaderValue? sender;
    private AuthenticationHeaderValue? receiver;

    public ConcurrentDictionary<string, string> ErrorSamples { get; } = new();

    public PlatformClient(int maxConnections, Guid receiverOrganisationId)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        http = new HttpClient(handler)
        {
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Coordination.Benchmarks/1.0");
        // The hand-off from the issue: ISCG Bobigny → AAV Bobigny, oral consent, sent at once (send defaults to true).
        sendBody = Encoding.UTF8.GetBytes(
            """{"receiverOrganisationId":"RECEIVER","departement":"93","person":{"ageBand":"from26To40","minorsInvolved":false},"situation":"intrafamilyViolence","needs":["coordination--aide-aux-victimes"],"urgency":"standard","consent":{"method":"oral","scope":{"identity":true,"situation":true,"needs":true}}}""".Replace("RECEIVER", receiverOrganisationId.ToString(), StringComparison.Ordinal));
    }

    public async Task CheckHealthAsync(Uri gateway, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await http.GetAsync(new Uri(gateway, "health"), timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw new PlatformUnreachableException($"{gateway}health answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new PlatformUnreachableException($"{gateway}health does not answer ({e.Message})");
        }
    }

    public async Task SignInAsync(Uri gateway, BenchOptions options, CancellationToken ct)
    {
        (signInAt, signInOptions) = (gateway, options);
        var started = DateTimeOffset.UtcNow;
        TimeSpan lifetime;
        (sender, lifetime) = await TokenAsync(gateway, options.SenderUser, options.Password, ct);
        (receiver, var receiverLifetime) = await TokenAsync(gateway, options.ReceiverUser, options.Password, ct);
        // Access tokens live five minutes: a run lasts longer, so both are renewed a minute before the first expires.
        renewAt = started + (lifetime < receiverLifetime ? lifetime : receiverLifetime) - TimeSpan.FromMinutes(1);
    }

    private Uri? signInAt;
    private BenchOptions? signInOptions;
    private DateTimeOffset renewAt = DateTimeOffset.MaxValue;
    private readonly SemaphoreSlim renewing = new(1, 1);

    /// <summary>Signs in again when the tokens are about to expire (once, whatever the number of concurrent senders).</summary>
    private async Task FreshTokensAsync(CancellationToken ct)
    {
        if (DateTimeOffset.UtcNow < renewAt || signInAt is null || signInOptions is null) return;
        await renewing.WaitAsync(ct);
        try
        {
            if (DateTimeOffset.UtcNow >= renewAt) await SignInAsync(signInAt, signInOptions, ct);
        }
        finally
        {
            renewing.Release();
        }
    }

    private async Task<(AuthenticationHeaderValue Header, TimeSpan Lifetime)> TokenAsync(Uri gateway, string user, string password, CancellationToken ct)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = user, ["password"] = password,
        });
        using var response = await http.PostAsync(new Uri(gateway, "connect/token"), form, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new PlatformUnreachableException($"token for '{user}' refused: {(int)response.StatusCode} {Shorten(body)}");
        using var doc = JsonDocument.Parse(body);
        var token = doc.RootElement.GetProperty("access_token").GetString();
        var lifetime = doc.RootElement.TryGetProperty("expires_in", out var seconds) && seconds.TryGetInt32(out var s) ? TimeSpan.FromSeconds(s) : TimeSpan.FromMinutes(5);
        return (new AuthenticationHeaderValue("Bearer", token), lifetime);
    }

    /// <summary>POST /api/referrals (drafted and sent in one call). <paramref name="readId"/>: parse the new id.</summary>
    public async Task<(Outcome Outcome, Guid Id)> SendAsync(Uri baseUri, bool readId, CancellationToken ct)
    {
        await FreshTokensAsync(ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "api/referrals"))
        {
            Content = new ByteArrayContent(sendBody) { Headers = { ContentType = JsonType } },
        };
        request.Headers.Authorization = sender;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var status = (int)response.StatusCode;
            if (status != (int)HttpStatusCode.Created)
            {
                await KeepSampleAsync(status, response, ct);
                return (new Outcome(status, null), Guid.Empty);
            }
            if (!readId) return (new Outcome(status, null), Guid.Empty);
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var created = await JsonSerializer.DeserializeAsync<Created>(stream, Json, ct);
            return (new Outcome(status, null), created?.Id ?? Guid.Empty);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            var kind = e is TaskCanceledException ? "timeout" : $"{e.GetType().Name}: {e.Message}";
            ErrorSamples.TryAdd(kind, e.Message);
            return (new Outcome(0, kind), Guid.Empty);
        }
    }

    /// <summary>
    /// The receiver's inbox, sent standard referrals created since <paramref name="from"/>, page after page (the API's
    /// cursor) until the last: does it list <paramref name="id"/>? Queries: how many inbox requests it took.
    /// </summary>
    public async Task<(Outcome Outcome, bool Found, int Queries)> InboxContainsAsync(Uri baseUri, Guid id, DateTimeOffset from, CancellationToken ct)
    {
        await FreshTokensAsync(ct);
        const int pageSize = 100;
        var since = Uri.EscapeDataString(from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        string? cursor = null;
        for (var page = 1; ; page++)
        {
            var next = cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor);
            var url = new Uri(baseUri, $"api/referrals/inbox?status=sent&urgency=standard&pageSize={pageSize}&from={since}{next}");
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = receiver;
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                var status = (int)response.StatusCode;
                if (status != (int)HttpStatusCode.OK)
                {
                    await KeepSampleAsync(status, response, ct);
                    return (new Outcome(status, null), false, page);
                }
                await using var stream = await response.Content.ReadAsStreamAsync(ct);
                var inbox = await JsonSerializer.DeserializeAsync<InboxPage>(stream, Json, ct);
                if ((inbox?.Items ?? []).Any(i => i.Id == id)) return (new Outcome(status, null), true, page);
                if (inbox?.NextCursor is not { } following) return (new Outcome(status, null), false, page);
                cursor = following;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                var kind = e is TaskCanceledException ? "timeout" : $"{e.GetType().Name}: {e.Message}";
                ErrorSamples.TryAdd(kind, e.Message);
                return (new Outcome(0, kind), false, page);
            }
        }
    }

    private async Task KeepSampleAsync(int status, HttpResponseMessage response, CancellationToken ct)
    {
        var key = $"HTTP {status}";
        if (ErrorSamples.ContainsKey(key)) return;
        ErrorSamples.TryAdd(key, Shorten(await response.Content.ReadAsStringAsync(ct)));
    }

    private static string Shorten(string s) => s.Length > 400 ? s[..400] + "…" : s;

    public void Dispose()
    {
        http.Dispose();
        renewing.Dispose();
    }

    private sealed record Created(Guid Id);

    private sealed record InboxItem(Guid Id);

    private sealed record InboxPage(List<InboxItem>? Items, string? NextCursor);
}
