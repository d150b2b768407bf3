using System.Security.Claims;
using Coordination.ServiceDefaults.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coordination.Identity.Tokens;

/// <summary>
/// A deliberately small OpenID Connect issuer for the embedded default and tests: discovery, JWKS and a
/// token endpoint (resource-owner password grant, for scripts and curl). Services validate its tokens like
/// any other provider's, through discovery, so swapping it for a real provider is configuration only.
/// </summary>
public static class TokenEndpoints
{
    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/openid-configuration", (IssuerSettings settings) => TypedResults.Json(new
        {
            issuer = settings.Issuer,
            jwks_uri = $"{settings.Issuer}/.well-known/jwks",
            token_endpoint = $"{settings.Issuer}/connect/token",
            grant_types_supported = new[] { "password" },
            response_types_supported = new[] { "token" },
            subject_types_supported = new[] { "public" },
            id_token_signing_alg_values_supported = new[] { SecurityAlgorithms.RsaSha256 },
            token_endpoint_auth_methods_supported = new[] { "none" },
            claims_supported = new[] { CoordinationClaims.UserId, CoordinationClaims.Name, CoordinationClaims.Role, CoordinationClaims.OrganisationId },
        })).WithName("OpenIdConfiguration");

        app.MapGet("/.well-known/jwks", (SigningKey key) => TypedResults.Json(new { keys = new[] { key.PublicJwk } }))
            .WithName("Jwks");

        app.MapPost("/connect/token", IssueToken).DisableAntiforgery().WithName("Token");
        return app;
    }

    private static async Task<IResult> IssueToken(HttpContext http, Accounts accounts, SigningKey key, IssuerSettings settings, TimeProvider time)
    {
        if (!http.Request.HasFormContentType)
            return OAuthError("invalid_request", "Envoyez un formulaire application/x-www-form-urlencoded.");
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form["grant_type"] != "password")
            return OAuthError("unsupported_grant_type", "Seul grant_type=password est pris en charge par ce fournisseur de développement.");
        var account = accounts.Authenticate(form["username"].ToString(), form["password"].ToString());
        if (account is null)
            return OAuthError("invalid_grant", "Identifiant ou mot de passe incorrect.");

        var now = time.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            [CoordinationClaims.UserId] = account.UserId,
            [CoordinationClaims.Name] = account.Name,
            [CoordinationClaims.Role] = account.Role,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };
        if (account.OrganisationId is { } organisationId)
            claims[CoordinationClaims.OrganisationId] = organisationId.ToString();

        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + settings.AccessTokenLifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = key.Credentials,
        });
        return TypedResults.Json(new
        {
            access_token = token,
            token_type = "Bearer",
            expires_in = (int)settings.AccessTokenLifetime.TotalSeconds,
        });
    }

    private static IResult OAuthError(string error, string description) =>
        TypedResults.Json(new { error, error_description = description }, statusCode: StatusCodes.Status400BadRequest);
}

public sealed record IssuerSettings(string Issuer, string Audience, TimeSpan AccessTokenLifetime);
