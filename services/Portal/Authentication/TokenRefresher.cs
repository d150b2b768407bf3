using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Coordination.Portal.Authentication;

/// <summary>Exchanges a refresh token at the provider's token endpoint (server to server).</summary>
public sealed partial class TokenRefresher(IHttpClientFactory clients, IOptionsMonitor<OpenIdConnectOptions> oidc, ILogger<TokenRefresher> logger)
{
    public const string ClientName = "token-refresh";

    public sealed record Tokens(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    public async Task<Tokens?> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(ct);
        using var response = await clients.CreateClient(ClientName).PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(
        [
            new("grant_type", "refresh_token"), new("refresh_token", refreshToken), new("client_id", options.ClientId!),
        ]), ct);
        if (!response.IsSuccessStatusCode)
        {
            LogRefreshRefused(logger, (int)response.StatusCode);
            return null;
        }
        return await response.Content.ReadFromJsonAsync<Tokens>(JsonSerializerOptions.Web, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token refresh refused ({Status}): the user signs in again")]
    private static partial void LogRefreshRefused(ILogger logger, int status);
}
