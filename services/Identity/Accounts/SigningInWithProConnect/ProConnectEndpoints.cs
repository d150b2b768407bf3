using Coordination.Identity.Accounts.SecondFactor;
using Coordination.Identity.Endpoints;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Client.AspNetCore;
using static Coordination.Identity.Endpoints.IdentityPages;

namespace Coordination.Identity.Accounts.SigningInWithProConnect;

/// <summary>
/// The way to ProConnect and back: the sign-in page's button leads to <see cref="ProConnect.ChallengePath"/>, which sends
/// the browser to ProConnect; ProConnect sends it back to <see cref="ProConnect.CallbackPath"/>, where OpenIddict's client
/// checks state, nonce and PKCE and redeems the code, and the account is found (never created). Then the same steps as a
/// password: the second factor if the role needs it, the sign-in cookie, and the authorization request that was waiting.
/// Not mapped at all when ProConnect is off.
/// </summary>
public static class ProConnectEndpoints
{
    public const string NoAccount = "Aucun compte n’est associé à cette adresse : demandez une invitation à votre responsable.";
    public const string EmailNotVerified = "ProConnect n’a pas confirmé votre adresse e-mail : connectez-vous avec votre mot de passe, ou demandez à votre responsable.";
    public const string Failed = "La connexion avec ProConnect n’a pas abouti. Réessayez, ou connectez-vous avec votre mot de passe.";

    public static IEndpointRouteBuilder MapProConnect(this IEndpointRouteBuilder app)
    {
        // Mapped even when off, then answering 404 like any unknown page (an unmapped path would meet the fallback policy's 401).
        app.MapGet(ProConnect.ChallengePath, (ProConnectOptions options, string? returnUrl) =>
        {
            if (!options.Enabled)
                return Results.NotFound();
            var properties = new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictClientAspNetCoreConstants.Properties.ProviderName] = ProConnect.ProviderName,
            })
            {
                // Kept inside the client's state token through the round trip, and checked again on return.
                RedirectUri = LoginPage.LocalOrLogin(returnUrl),
            };
            properties.Parameters[OpenIddictConstants.Parameters.AcrValues] = options.AcrValues;
            return Results.Challenge(properties, [OpenIddictClientAspNetCoreDefaults.AuthenticationScheme]);
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapMethods(ProConnect.CallbackPath, ["GET", "POST"], Callback).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> Callback(HttpContext http, ProConnectOptions options, AccountService accounts, IAntiforgery antiforgery,
        IOptions<MfaOptions> mfa, ILogger<ProConnectOptions> logger, CancellationToken ct)
    {
        if (!options.Enabled)
            return Results.NotFound();
        // State, nonce, PKCE, the identity token's signature and the userinfo's subject are checked by OpenIddict's client.
        var result = await http.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal.FindFirst(OpenIddictConstants.Claims.Subject)?.Value is not { Length: > 0 } subject)
        {
            // OpenIddict's error code (e.g. a missing correlation cookie, a state already used), never a claim.
            string? error = null;
            result.Properties?.Items.TryGetValue(OpenIddictClientAspNetCoreConstants.Properties.Error, out error);
            logger.LogWarning("ProConnect sign-in did not complete: {Error}", error ?? result.Failure?.GetType().Name ?? "no subject");
            return Render(http, "Connexion avec ProConnect", Error(Failed) + BackToLogin("/account/login"), StatusCodes.Status400BadRequest);
        }
        // The identity token's claims and the userinfo's are merged (OpenIddict checked that both name the same sub): an
        // address is taken unless either says it is not verified.
        var principal = result.Principal;
        var identity = new ProConnectIdentity(subject, principal.FindFirst(OpenIddictConstants.Claims.Email)?.Value,
            !principal.FindAll(OpenIddictConstants.Claims.EmailVerified).Any(c => string.Equals(c.Value, "false", StringComparison.OrdinalIgnoreCase)),
            principal.FindFirst(OpenIddictConstants.Claims.AuthenticationContextReference)?.Value);
        var returnUrl = LoginPage.LocalOrLogin(result.Properties?.RedirectUri);
        var (outcome, account) = await accounts.SignInWithProConnectAsync(identity, http.Connection.RemoteIpAddress, ct);
        // The outcome only: never the address, the name or the subject.
        logger.LogInformation("ProConnect sign-in: {Outcome}", outcome);
        if (outcome != ProConnectOutcome.Succeeded || account is null)
            return outcome switch
            {
                ProConnectOutcome.NoAccount =>
                    Render(http, "Connexion avec ProConnect", Error(NoAccount) + BackToLogin(returnUrl), StatusCodes.Status403Forbidden),
                ProConnectOutcome.EmailNotVerified =>
                    Render(http, "Connexion avec ProConnect", Error(EmailNotVerified) + BackToLogin(returnUrl), StatusCodes.Status403Forbidden),
                // Disabled, an expired invitation, an address tied to another ProConnect identity, or a delay running:
                // refused as a password would be.
                _ => LoginPage.Page(http, antiforgery, returnUrl, ConnectEndpoints.SignInRefused, StatusCodes.Status400BadRequest),
            };
        return await SignInCookies.AfterFirstFactorAsync(http, account, mfa.Value, returnUrl);
    }

    private static string BackToLogin(string returnUrl) =>
        $"""<p><a href="/account/login{E(QueryString.Create("returnUrl", returnUrl).ToString())}">Revenir à la page de connexion</a></p>""";
}
