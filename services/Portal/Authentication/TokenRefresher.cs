using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Coordination.Portal.Authentication;

/// <summary>
/// Exchanges a refresh token at the provider's token endpoint (server to server), single-flight: refresh tokens roll and
/// a redeemed one presented again ends the session, so the requests of one browser that arrive together with the same
/// cookie share one exchange, and those still carrying the old cookie a moment later get the same new tokens.
/// </summary>
public sealed partial class TokenRefresher(IHttpClientFactory clients, IOptionsMonitor<OpenIdConnectOptions> oidc, TimeProvider time,
    ILogger<TokenRefresher> logger)
{
    public const string ClientName = "token-refresh";

    /// <summary>How long the outcome of one exchange answers for its refresh token.</summary>
    private static readonly TimeSpan Remembered = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (Lazy<Task<Tokens?>> Exchange, DateTimeOffset Until)> exchanges = new(StringComparer.Ordinal);

    public sealed record Tokens(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    public async Task<Tokens?> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var (key, old) in exchanges)
            if (old.Until < now)
                exchanges.TryRemove(key, out _);
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
        // Not cancelled with one request: the others share the exchange.
        var entry = exchanges.GetOrAdd(id, _ => (new Lazy<Task<Tokens?>>(() => ExchangeAsync(refreshToken, CancellationToken.None)), now + Remembered));
        try
        {
            return await entry.Exchange.Value.WaitAsync(ct);
        }
        catch (HttpRequestException)
        {
            exchanges.TryRemove(id, out _); // the provider was unreachable: the next request tries again
            throw;
        }
    }

    private async Task<Tokens?> ExchangeAsync(string refreshToken, CancellationToken ct)
    {
        var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(ct);
        // A provider replica that restarts or dies mid-request (502 to 504 from the gateway, a dropped connection) is not a
        // refusal: the exchange is tried again. Safe although it is a POST: a refresh token presented again within the
        // provider's reuse grace (Identity:RefreshTokenReuseGrace, 10 s) is honoured, not taken for a replay.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await clients.CreateClient(ClientName).PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(
                [
                    new("grant_type", "refresh_token"), new("refresh_token", refreshToken), new("client_id", options.ClientId!),
                ]), ct);
                if (response.IsSuccessStatusCode)
                    return await response.Content.ReadFromJsonAsync<Tokens>(JsonSerializerOptions.Web, ct);
                if ((int)response.StatusCode is < 502 or > 504)
                {
                    LogRefreshRefused(logger, (int)response.StatusCode);
                    return null;
                }
                if (attempt == Attempts)
                    throw new HttpRequestException($"The provider answered {(int)response.StatusCode} {Attempts} times.", null, response.StatusCode);
                LogRefreshRetried(logger, (int)response.StatusCode);
            }
            catch (HttpRequestException exception) when (attempt < Attempts)
            {
                LogRefreshRetried(logger, exception.StatusCode is { } status ? (int)status : 0);
            }
            catch (TimeoutRejectedException timeout)
            {
                // A replica just restarted on loaded cores may answer after the attempt timeout: slow is no refusal either.
                // The last one is reported as out of reach, so that a still valid access token keeps the session (it
                // escaped as a 503 page in the replicas journey).
                if (attempt == Attempts)
                    throw new HttpRequestException($"The provider did not answer in time {Attempts} times.", timeout);
                LogRefreshRetried(logger, 0);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(300 * attempt), time, ct);
        }
    }

    private const int Attempts = 3;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token refresh failed on the way to the provider ({Status}): tried again")]
    private static partial void LogRefreshRetried(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token refresh refused ({Status}): the user signs in again")]
    private static partial void LogRefreshRefused(ILogger logger, int status);
}
