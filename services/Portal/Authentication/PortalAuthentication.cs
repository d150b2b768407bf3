using System.Globalization;
using System.Security.Claims;
using Coordination.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Coordination.Portal.Authentication;

/// <summary>
/// The portal signs people in with the OpenID Connect provider (authorization code + PKCE, public client
/// <c>coordination-portal</c>) and keeps them in an encrypted, HttpOnly cookie that also holds the access and refresh
/// tokens (never sent to scripts). The browser talks to the provider through the same origin (the gateway), the portal
/// server talks to it directly (<c>Portal:Identity:Authority</c>) for discovery, keys and tokens.
/// </summary>
public static class PortalAuthentication
{
    public const string CookieName = "Coordination.Portal";
    /// <summary>Refresh the access token when it expires within this delay.</summary>
    private static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(2);

    public static IHostApplicationBuilder AddPortalAuthentication(this IHostApplicationBuilder builder)
    {
        var identity = builder.Configuration.GetSection("Portal:Identity");
        var authority = identity["Authority"] ?? throw new InvalidOperationException("Configuration 'Portal:Identity:Authority' is missing.");
        // Empty: relative addresses, i.e. the provider is reached through the portal's own origin (the gateway routes /connect/*).
        var browserAddress = (identity["BrowserAddress"] ?? "").TrimEnd('/');
        var secure = builder.Configuration.GetValue("Portal:SecureCookies", true);

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax; // the provider's redirect back is a top-level GET
                cookie.Cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/connexion";
                cookie.AccessDeniedPath = "/acces-refuse";
                cookie.Events.OnValidatePrincipal = RefreshTokensIfNeeded;
            })
            .AddOpenIdConnect(oidc =>
            {
                oidc.Authority = authority;
                oidc.ClientId = identity["ClientId"] ?? "coordination-portal";
                oidc.RequireHttpsMetadata = identity.GetValue("RequireHttpsMetadata", true);
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                // The code comes back in the query of a top-level GET: no auto-posting page (the provider's CSP forbids its
                // script) and no cross-site POST, so the correlation and nonce cookies can stay SameSite=Lax.
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.UsePkce = true;
                oidc.Scope.Clear();
                oidc.Scope.Add("openid");
                oidc.Scope.Add("offline_access");
                oidc.SaveTokens = true;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                oidc.MapInboundClaims = false;
                oidc.TokenValidationParameters.NameClaimType = CoordinationClaims.Name;
                oidc.TokenValidationParameters.RoleClaimType = CoordinationClaims.Role;
                oidc.CallbackPath = "/signin-oidc";
                oidc.SignedOutCallbackPath = "/signout-callback-oidc";
                oidc.SignedOutRedirectUri = "/";
                oidc.CorrelationCookie.SecurePolicy = cookie(secure);
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SecurePolicy = cookie(secure);
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.Events.OnRedirectToIdentityProvider = context =>
                {
                    context.ProtocolMessage.IssuerAddress = browserAddress + "/connect/authorize";
                    context.ProtocolMessage.UiLocales = "fr";
                    return Task.CompletedTask;
                };
                oidc.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    context.ProtocolMessage.IssuerAddress = browserAddress + "/connect/logout";
                    // The provider accepts only registered addresses: the portal's root.
                    context.ProtocolMessage.PostLogoutRedirectUri = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/";
                    return Task.CompletedTask;
                };
                // The identity token carries only sub and name; role and organisation are in the access token, read once here.
                oidc.Events.OnTokenValidated = context =>
                {
                    if (context.TokenEndpointResponse?.AccessToken is { } access && context.Principal?.Identity is ClaimsIdentity id)
                        CopyAccessTokenClaims(access, id);
                    return Task.CompletedTask;
                };
                oidc.Events.OnRemoteFailure = context =>
                {
                    context.HandleResponse();
                    context.Response.Redirect("/connexion-impossible");
                    return Task.CompletedTask;
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(PortalPolicies.OrganisationStaff, p => p.RequireAuthenticatedUser().RequireRole(Roles.IscgWorker, Roles.AssociationStaff, Roles.PartnerStaff))
            .AddPolicy(PortalPolicies.Coordinators, p => p.RequireAuthenticatedUser().RequireRole(Roles.NationalCoordinator, Roles.Admin))
            .AddPolicy(PortalPolicies.Admins, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddHttpClient(TokenRefresher.ClientName);
        builder.Services.AddSingleton<TokenRefresher>();
        return builder;

        static CookieSecurePolicy cookie(bool secure) => secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
    }

    private static void CopyAccessTokenClaims(string accessToken, ClaimsIdentity identity)
    {
        var token = new JsonWebTokenHandler().ReadJsonWebToken(accessToken);
        foreach (var type in new[] { CoordinationClaims.Role, CoordinationClaims.OrganisationId, CoordinationClaims.OrganisationManager })
            foreach (var claim in token.Claims.Where(c => c.Type == type))
                if (!identity.HasClaim(type, claim.Value))
                    identity.AddClaim(new Claim(type, claim.Value));
    }

    private static async Task RefreshTokensIfNeeded(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (expiresAt is null || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var expiry))
            return;
        var time = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        if (expiry - time.GetUtcNow() > RefreshAhead)
            return;
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        TokenRefresher.Tokens? refreshed;
        try
        {
            refreshed = refreshToken is null ? null
                : await context.HttpContext.RequestServices.GetRequiredService<TokenRefresher>().RefreshAsync(refreshToken, context.HttpContext.RequestAborted);
        }
        catch (HttpRequestException) when (expiry > time.GetUtcNow())
        {
            return; // the provider is out of reach for now, the access token still valid: the next request tries again
        }
        if (refreshed is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        context.Properties.UpdateTokenValue("access_token", refreshed.AccessToken);
        if (refreshed.RefreshToken is not null)
            context.Properties.UpdateTokenValue("refresh_token", refreshed.RefreshToken);
        context.Properties.UpdateTokenValue("expires_at",
            time.GetUtcNow().AddSeconds(refreshed.ExpiresIn).ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true;
    }
}

public static class PortalPolicies
{
    public const string OrganisationStaff = "organisation-staff";
    public const string Coordinators = "coordinators";
    public const string Admins = "admins";
}
