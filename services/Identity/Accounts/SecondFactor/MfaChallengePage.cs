using Coordination.Identity.Endpoints;
using JasperFx;
using Microsoft.AspNetCore.Antiforgery;
using static Coordination.Identity.Endpoints.IdentityPages;

namespace Coordination.Identity.Accounts.SecondFactor;

/// <summary>
/// The second step of a sign-in, after the password: a code from the authenticator app or a recovery code. Wrong codes
/// earn progressive delays of their own (a six-digit code must not be found by trying them all).
/// </summary>
public static class MfaChallengePage
{
    public const string Path = "/account/mfa";
    public const string Refused = "Code incorrect ou déjà utilisé. Après plusieurs erreurs, patientez quelques instants avant de réessayer.";

    public static IEndpointRouteBuilder MapMfaChallengePage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext http, IAntiforgery antiforgery, AccountService accounts, string? returnUrl, CancellationToken ct) =>
            await SignInCookies.PendingAsync(http, accounts, ct) is { Mfa: not null }
                ? Form(http, antiforgery, LocalUrls.LocalOr(returnUrl, "/"), null)
                : BackToLogin(returnUrl)).AllowAnonymous();

        app.MapPost(Path, async (HttpContext http, IAntiforgery antiforgery, AccountService accounts, IDocumentStore store,
            SecretProtection protection, TimeProvider time, CancellationToken ct) =>
        {
            await antiforgery.ValidateRequestAsync(http);
            var form = await http.Request.ReadFormAsync(ct);
            var returnUrl = LocalUrls.LocalOr(form["returnUrl"], "/");
            if (await SignInCookies.PendingAsync(http, accounts, ct) is not { Mfa: not null } account)
                return BackToLogin(returnUrl);
            var code = form["code"].ToString();
            var accepted = code.Length is > 0 and <= 32 && await accounts.SecondStepAsync(account.Id, () => CheckAsync(store, protection, account.Id,
                code, time.GetUtcNow(), ct), ct);
            if (!accepted)
                return Form(http, antiforgery, returnUrl, Refused, StatusCodes.Status400BadRequest);
            await SignInCookies.CompleteAsync(http, account, withSecondFactor: true);
            return Results.LocalRedirect(returnUrl);
        }).AllowAnonymous().DisableAntiforgery(); // validated explicitly above, before reading the form
        return app;
    }

    /// <summary>Checks the code on the account's latest state and spends it; two uses of one code at once: one wins.</summary>
    private static async Task<bool> CheckAsync(IDocumentStore store, SecretProtection protection, Guid id, string code, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<Account>(id, ct);
        if (stream.Aggregate is not { Mfa: { } mfa } account)
            return false;
        var events = MfaDecisions.SecondStep(code, protection.Unprotect(id, mfa.ProtectedSecret), account, now);
        if (events.Count == 0)
            return false;
        stream.AppendMany(events);
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (ConcurrencyException)
        {
            return false;
        }
    }

    public static IResult BackToLogin(string? returnUrl) =>
        Results.LocalRedirect("/account/login" + QueryString.Create("returnUrl", LocalUrls.LocalOr(returnUrl, "/")));

    private static IResult Form(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? error, int status = StatusCodes.Status200OK) =>
        Render(http, "Vérification en deux étapes", $"""
            {Error(error)}
            <p>Ouvrez votre application d'authentification et saisissez le code à 6 chiffres affiché pour Coordination.</p>
            <form method="post" action="{Path}">
            {Antiforgery(http, antiforgery)}
            <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
            <label for="code">Code de vérification</label>
            <input id="code" name="code" autocomplete="one-time-code" required aria-describedby="code-aide" maxlength="32" spellcheck="false">
            <p id="code-aide" class="hint">6 chiffres, ou l'un de vos codes de secours (par exemple ABCDE-23456) si vous n'avez plus votre téléphone.</p>
            <button type="submit">Valider</button>
            </form>
            <p><a href="/account/login">Revenir à la connexion</a></p>
            """, status);
}
