using Coordination.Identity.Endpoints;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using QRCoder;
using static Coordination.Identity.Endpoints.IdentityPages;

namespace Coordination.Identity.Accounts.SecondFactor;

/// <summary>
/// Enrolling an authenticator app: a QR code (inline SVG, no script, no outside image) and the same secret as text for
/// those who cannot scan, then a code from the app to prove it, then the recovery codes, shown this once. Reached during
/// a sign-in when the role requires a second factor and there is none yet, or by someone fully signed in (from "Mon
/// compte") to add or replace theirs.
/// </summary>
public static class MfaEnrolmentPage
{
    public const string Path = "/account/mfa/enrolment";
    private const string Title = "Activer la vérification en deux étapes";

    public static IEndpointRouteBuilder MapMfaEnrolmentPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext http, IAntiforgery antiforgery, AccountService accounts, IOptions<MfaOptions> options,
            SecretProtection protection, string? returnUrl, CancellationToken ct) =>
        {
            var (account, _) = await WhoAsync(http, accounts, options.Value, ct);
            if (account is null)
                return MfaChallengePage.BackToLogin(Path + QueryString.Create("returnUrl", LocalUrls.LocalOr(returnUrl, "/")));
            var secret = TotpCodes.NewSecret();
            return Form(http, antiforgery, account, secret, protection.ProtectPending(account.Id, secret), LocalUrls.LocalOr(returnUrl, "/"), null);
        }).AllowAnonymous();

        app.MapPost(Path, async (HttpContext http, IAntiforgery antiforgery, AccountService accounts, IOptions<MfaOptions> options,
            SecretProtection protection, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
        {
            await antiforgery.ValidateRequestAsync(http);
            var form = await http.Request.ReadFormAsync(ct);
            var returnUrl = LocalUrls.LocalOr(form["returnUrl"], "/");
            var (account, _) = await WhoAsync(http, accounts, options.Value, ct);
            if (account is null)
                return MfaChallengePage.BackToLogin(Path + QueryString.Create("returnUrl", returnUrl));
            var pending = form["pending"].ToString();
            if (protection.UnprotectPending(account.Id, pending) is not { } secret)
            {
                secret = TotpCodes.NewSecret();
                return Form(http, antiforgery, account, secret, protection.ProtectPending(account.Id, secret), returnUrl,
                    "Cette page a expiré : un nouveau code QR est affiché, ajoutez-le à nouveau à votre application.", StatusCodes.Status400BadRequest);
            }
            var recoveryCodes = RecoveryCodes.New();
            var command = new EnrolMfa(secret, protection.Protect(account.Id, secret), form["code"].ToString(), recoveryCodes, time.GetUtcNow());
            try
            {
                await session.GetAndUpdate<Account>(account.Id, ExpectedVersion.Any, state => MfaDecisions.Enrol(command, state), ct);
            }
            catch (InvalidRequest)
            {
                return Form(http, antiforgery, account, secret, pending, returnUrl, MfaDecisions.WrongCode, StatusCodes.Status400BadRequest);
            }
            // Enrolled: this sign-in is now complete, with its second factor.
            await SignInCookies.CompleteAsync(http, account, withSecondFactor: true);
            return Done(http, recoveryCodes, returnUrl);
        }).AllowAnonymous().DisableAntiforgery(); // validated explicitly above, before reading the form
        return app;
    }

    /// <summary>
    /// Who may enrol here: someone fully signed in (a new app then replaces theirs), or someone whose password was just
    /// checked and whose account has no second factor yet (a first enrolment, required by the role or chosen).
    /// </summary>
    private static async Task<(Account? Account, bool DuringSignIn)> WhoAsync(HttpContext http, AccountService accounts, MfaOptions options,
        CancellationToken ct)
    {
        if (await SignInCookies.SignedInAsync(http, accounts, options, ct) is { } signedIn)
            return (signedIn, false);
        return await SignInCookies.PendingAsync(http, accounts, ct) is { Mfa: null } pending ? (pending, true) : (null, false);
    }

    private static IResult Form(HttpContext http, IAntiforgery antiforgery, Account account, byte[] secret, string pending, string returnUrl,
        string? error, int status = StatusCodes.Status200OK)
    {
        var svg = new SvgQRCode(QRCodeGenerator.GenerateQrCode(TotpCodes.KeyUri(secret, account.Username), QRCodeGenerator.ECCLevel.M))
            .GetGraphic(4);
        svg = svg[svg.IndexOf("<svg", StringComparison.Ordinal)..];
        var text = string.Join(' ', TotpCodes.Base32(secret).Chunk(4).Select(c => new string(c)));
        var replacing = account.Mfa is not null
            ? "<p class=\"hint\">Vous avez déjà une application enregistrée : la nouvelle la remplacera, avec de nouveaux codes de secours.</p>"
            : "";
        return Render(http, Title, $"""
            {Error(error)}
            {replacing}
            <p>Une application d'authentification (par exemple FreeOTP, Aegis, Google Authenticator ou Microsoft Authenticator) affiche
            un code à 6 chiffres qui change toutes les 30 secondes ; il vous sera demandé à chaque connexion, après votre mot de passe.</p>
            <h2>1. Ajoutez Coordination à votre application</h2>
            <p>Scannez ce code QR avec l'application :</p>
            <div role="img" aria-label="Code QR à scanner avec votre application d'authentification" style="max-width:14rem">{svg}</div>
            <p>Si vous ne pouvez pas le scanner, saisissez cette clé dans l'application (type « basé sur le temps ») :</p>
            <p><code id="cle" style="font-size:1.1rem;word-break:break-all">{E(text)}</code></p>
            <h2>2. Saisissez le code affiché</h2>
            <form method="post" action="{Path}">
            {Antiforgery(http, antiforgery)}
            <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
            <input type="hidden" name="pending" value="{E(pending)}">
            <label for="code">Code à 6 chiffres</label>
            <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="7" spellcheck="false">
            <button type="submit">Activer</button>
            </form>
            """, status);
    }

    private static IResult Done(HttpContext http, IReadOnlyList<string> recoveryCodes, string returnUrl)
    {
        http.Response.Headers.CacheControl = "no-store"; // shown once: never from a cache, never by the back button
        return Render(http, "Vérification en deux étapes activée", $"""
            <p role="status">Votre application est enregistrée : un code vous sera demandé à chaque connexion.</p>
            <h2>Vos codes de secours</h2>
            <p>Si vous perdez votre téléphone, chacun de ces codes permet <strong>une</strong> connexion à la place du code de l'application.
            Notez-les ou imprimez-les maintenant et gardez-les en lieu sûr : ils ne seront plus jamais affichés.</p>
            <ul id="codes-de-secours" style="font-family:monospace;font-size:1.1rem">
            {string.Join("\n", recoveryCodes.Select(c => $"<li>{E(c)}</li>"))}
            </ul>
            <p><a href="{E(returnUrl)}">J'ai noté mes codes, continuer</a></p>
            """);
    }
}
