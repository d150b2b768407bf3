using System.Security.Claims;
using Coordination.Identity.Accounts;
using Coordination.Identity.Accounts.SecondFactor;
using Coordination.Identity.Clients;
using Coordination.Identity.Sessions;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Coordination.Identity.Endpoints;

/// <summary>The OpenID Connect endpoints whose decisions are ours: who gets a token, with which claims.</summary>
public static class ConnectEndpoints
{
    /// <summary>One message for every failed sign-in: it must not tell whether the account exists or is locked.</summary>
    public const string SignInRefused = "Identifiant ou mot de passe incorrect. Après plusieurs erreurs, patientez quelques instants avant de réessayer.";

    /// <summary>
    /// Kept inside codes, refresh tokens and the sign-in cookie (never in access or identity tokens): the account's
    /// security stamp when they were issued. A different stamp now means the role, organisation or password changed,
    /// or the account was disabled, since: the session ends.
    /// </summary>
    public const string SecurityStampClaim = "coordination_stamp";

    public static IEndpointRouteBuilder MapConnectEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous by nature: OpenIddict itself answers who may have what, as OAuth errors.
        // Described for partners (docs/api/identity.json): the form parameters are OAuth's (RFC 6749), errors are OAuth's too.
        var oauth = app.MapGroup("").WithTags("OpenID Connect");
        oauth.MapPost("/connect/token", Token).DisableAntiforgery().AllowAnonymous().WithName("Token")
            .WithSummary("OAuth 2.0 token endpoint (form-encoded): authorization code with PKCE, refresh token, client credentials.")
            .Produces<TokenAnswer>().Produces<OAuthError>(StatusCodes.Status400BadRequest).Produces<OAuthError>(StatusCodes.Status401Unauthorized);
        oauth.MapMethods("/connect/authorize", ["GET", "POST"], Authorize).DisableAntiforgery().AllowAnonymous().WithName("Authorize")
            .WithSummary("OpenID Connect authorization endpoint (code flow with PKCE S256): signs the person in, then redirects back.")
            .Produces(StatusCodes.Status302Found).Produces<OAuthError>(StatusCodes.Status400BadRequest);
        oauth.MapMethods("/connect/logout", ["GET", "POST"], (Delegate)Logout).DisableAntiforgery().AllowAnonymous().WithName("Logout")
            .WithSummary("OpenID Connect end-session endpoint: ends the sign-in session, then redirects to a registered address.")
            .Produces(StatusCodes.Status302Found).Produces<OAuthError>(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary>A token answer (RFC 6749 §5.1), as OpenIddict writes it: described, never built here.</summary>
    public sealed record TokenAnswer(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
        [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("id_token")] string? IdToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string? Scope);

    /// <summary>An OAuth 2.0 error answer (RFC 6749 §5.2), as OpenIddict writes it: described, never built here.</summary>
    public sealed record OAuthError(
        [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string? ErrorDescription,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_uri")] string? ErrorUri);

    private static async Task<IResult> Token(HttpContext http, AccountService accounts, AudienceSettings audience, IOptions<MfaOptions> mfa,
        SessionLifetime sessions, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsPasswordGrantType())
        {
            // It cannot ask for a code: an account with a second factor gets no token this way unless said so (Development,
            // Testing, the demo's seeding), and then the same refusal as a wrong password.
            var (outcome, account) = await accounts.SignInAsync(request.Username ?? "", request.Password ?? "", http.Connection.RemoteIpAddress, ct);
            return outcome == SignInOutcome.Succeeded && MfaPolicy.PasswordGrantAllowed(account!, mfa.Value)
                ? SignIn(PrincipalFor(account!, request.GetScopes(), audience))
                : Refuse(Errors.InvalidGrant, SignInRefused);
        }
        if (request.IsClientCredentialsGrantType())
        {
            // A job acting for itself: its client id is its subject; it has no organisation and no person's role.
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId).SetClaim(Claims.Name, request.ClientId).SetClaim(Claims.Role, "service");
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            var principal = new ClaimsPrincipal(identity);
            principal.SetResources(audience.Audience);
            return SignIn(principal);
        }
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token is valid (OpenIddict checked it, and that its session was not ended); the account
            // must still be able to sign in, and the session must be younger than its absolute lifetime.
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var username = result.Principal?.GetClaim(Claims.PreferredUsername);
            var account = username is null ? null : await accounts.FindAsync(username, ct);
            var session = result.Principal?.GetAuthorizationId();
            var remaining = await sessions.RemainingAsync(session, ct);
            // Disabled, or its role, organisation or password changed since this code or refresh token was issued.
            if (account is null || !account.CanSignIn || remaining is null
                || result.Principal!.GetClaim(SecurityStampClaim) != account.SecurityStamp)
                return Refuse(Errors.InvalidGrant, "Cette session n'est plus valide : reconnectez-vous.");
            // The same session goes on: same authorization (so a replay revokes the whole chain), never past its end.
            var principal = PrincipalFor(account, result.Principal!.GetScopes(), audience);
            principal.SetAuthorizationId(session).SetRefreshTokenLifetime(remaining);
            return SignIn(principal);
        }
        return Refuse(Errors.UnsupportedGrantType, "Type de demande non pris en charge.");
    }

    private static async Task<IResult> Authorize(HttpContext http, AccountService accounts, AudienceSettings audience, IOptions<MfaOptions> mfa,
        CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        // Signed in on this browser with every step the account needs (its second factor included), and nothing changed since.
        var account = await SignInCookies.SignedInAsync(http, accounts, mfa.Value, ct);
        if (account is null || request.HasPromptValue(PromptValues.Login))
        {
            var parameters = http.Request.HasFormContentType ? [.. http.Request.Form] : http.Request.Query.ToList();
            return Results.Challenge(new AuthenticationProperties
            {
                RedirectUri = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters.Where(p => p.Key != Parameters.Prompt)),
            }, [CookieAuthenticationDefaults.AuthenticationScheme]);
        }
        // The sign-in cookie only carries the password to the code: once the session exists, ending it (or its 12 h) makes
        // the person type their password again, rather than letting the browser open a new session silently.
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return SignIn(PrincipalFor(account, request.GetScopes(), audience));
    }

    private static async Task<IResult> Logout(HttpContext http, SessionEnding sessions, CancellationToken ct)
    {
        // The application's session named by its identity token (id_token_hint) ends with the sign-in cookie.
        var hint = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (hint.Principal?.GetAuthorizationId() is { } session)
            await sessions.EndAsync(session, ct);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/account/login" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>The claims every Coordination service reads: sub, name, role, org; the username stays inside the provider.</summary>
    public static ClaimsPrincipal PrincipalFor(Account account, IEnumerable<string> scopes, AudienceSettings audience)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, account.UserId)
            .SetClaim(Claims.Name, account.Name)
            .SetClaim(Claims.Role, account.Role)
            .SetClaim(Claims.PreferredUsername, account.Username)
            .SetClaim(SecurityStampClaim, account.SecurityStamp);
        if (account.OrganisationId is { } organisation)
            identity.SetClaim(CoordinationClaims.OrganisationId, organisation.ToString());
        if (account.OrganisationManager && account.OrganisationId is not null)
            identity.SetClaim(CoordinationClaims.OrganisationManager, "true");
        if (account.ArchiveAccess && account.OrganisationId is not null)
            identity.SetClaim(CoordinationClaims.ArchiveAccess, "true");
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.PreferredUsername or SecurityStampClaim => [],
            Claims.Name => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        principal.SetResources(audience.Audience);
        return principal;
    }

    private static IResult SignIn(ClaimsPrincipal principal) =>
        Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
