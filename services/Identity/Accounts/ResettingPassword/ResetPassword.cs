using Coordination.Identity.Mail;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static Coordination.Identity.Endpoints.IdentityPages;

namespace Coordination.Identity.Accounts.ResettingPassword;

public sealed record RequestPasswordReset(string ResetHash, DateTimeOffset ExpiresAt, DateTimeOffset At);

public sealed record CompletePasswordReset(string Secret, string PasswordHash, DateTimeOffset At);

/// <summary>
/// "Mot de passe oublié": an e-mail with a one-time link (30 min) to the account's address. The answer is the same whether
/// or not the address has an account, so the page tells no one who uses Coordination.
/// </summary>
public static class ResetPasswordPages
{
    public const string RequestAnswer = "Si un compte actif correspond à cette adresse, un e-mail vient de lui être envoyé avec un lien valable 30 minutes.";
    public const string LinkInvalid = "Ce lien de réinitialisation n'est plus valable (déjà utilisé, expiré ou remplacé par une demande plus récente). Faites une nouvelle demande.";

    /// <summary>Only an account that can sign in gets a link; a newer request replaces the older link.</summary>
    public static IReadOnlyList<object> Decide(RequestPasswordReset command, Account state) =>
        state.CanSignIn ? [new PasswordResetRequested(state.Id, command.ResetHash, command.ExpiresAt, command.At)] : [];

    public static IReadOnlyList<object> Decide(CompletePasswordReset command, Account state)
    {
        if (!state.CanSignIn || !OneTimeLinks.Matches(state.PasswordReset, command.Secret, command.At))
            throw new BusinessRuleViolation(LinkInvalid);
        return [new PasswordResetCompleted(state.Id, command.PasswordHash, command.At)];
    }

    public static IEndpointRouteBuilder MapResetPasswordPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/forgotten-password", (HttpContext http, IAntiforgery antiforgery) => RequestForm(http, antiforgery, null))
            .AllowAnonymous();

        app.MapPost("/account/forgotten-password", async (HttpContext http, IAntiforgery antiforgery, IDocumentSession session, AccountService accounts,
            MailOutbox outbox, AccountMails mails, IOptions<OneTimeLinkOptions> links, TimeProvider time, CancellationToken ct) =>
        {
            await antiforgery.ValidateRequestAsync(http);
            var form = await http.Request.ReadFormAsync(ct);
            var email = form["email"].ToString().Trim().ToLowerInvariant();
            if (email.Length is 0 or > 254 || !email.Contains('@'))
                return RequestForm(http, antiforgery, "Indiquez l'adresse e-mail de votre compte.", StatusCodes.Status400BadRequest);
            if (await accounts.FindIdByEmailAsync(session, email, ct) is { } id)
            {
                var stream = await session.Events.FetchForWriting<Account>(id, ct);
                var (token, hash) = OneTimeLinks.New(id);
                var at = time.GetUtcNow();
                var command = new RequestPasswordReset(hash, at + links.Value.PasswordResetLifetime, at);
                var events = stream.Aggregate is null ? [] : Decide(command, stream.Aggregate);
                if (events.Count > 0)
                {
                    stream.AppendMany(events);
                    outbox.Enqueue(session, mails.PasswordReset(stream.Aggregate!.Name, stream.Aggregate.Email!, token, command.ExpiresAt));
                    try
                    {
                        await session.SaveChangesAsync(ct);
                        outbox.Wake();
                    }
                    catch (JasperFx.ConcurrencyException)
                    {
                        // Two requests at once: the other one's link is on its way.
                    }
                }
            }
            return Render(http, "Mot de passe oublié", $"<p>{E(RequestAnswer)}</p><p><a href=\"/\">Retour à Coordination</a></p>");
        }).AllowAnonymous().DisableAntiforgery(); // validated explicitly above, before reading the form

        app.MapGet("/account/reset-password", (HttpContext http, IAntiforgery antiforgery, string? jeton) => ResetForm(http, antiforgery, jeton, null))
            .AllowAnonymous();

        app.MapPost("/account/reset-password", (HttpContext http, IAntiforgery antiforgery, IDocumentSession session, TimeProvider time,
            CancellationToken ct) =>
            PasswordLinkForm.SubmitAsync(http, antiforgery, session, "Nouveau mot de passe", LinkInvalid,
                formWithError: (token, error) => ResetForm(http, antiforgery, token, error, StatusCodes.Status400BadRequest),
                decide: (secret, passwordHash, state) => Decide(new CompletePasswordReset(secret, passwordHash, time.GetUtcNow()), state),
                done: _ => Render(http, "Mot de passe changé",
                    "<p>Votre mot de passe est changé ; vos sessions ouvertes ailleurs se terminent.</p><p><a href=\"/\">Se connecter à Coordination</a></p>"),
                ct))
            .AllowAnonymous().DisableAntiforgery(); // validated by SubmitAsync, before it reads the form
        return app;
    }

    private static IResult RequestForm(HttpContext http, IAntiforgery antiforgery, string? error, int status = StatusCodes.Status200OK) =>
        Render(http, "Mot de passe oublié", $"""
            <p>Indiquez l'adresse e-mail de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe.</p>
            {Error(error)}
            <form method="post" action="/account/forgotten-password">
            {Antiforgery(http, antiforgery)}
            <label for="email">Adresse e-mail</label><input id="email" name="email" type="email" autocomplete="email" required>
            <button type="submit">Recevoir un lien</button>
            </form>
            """, status);

    private static IResult ResetForm(HttpContext http, IAntiforgery antiforgery, string? token, string? error, int status = StatusCodes.Status200OK) =>
        Render(http, "Nouveau mot de passe", $"""
            <p>Choisissez un nouveau mot de passe (au moins {AccountRules.MinPasswordLength} caractères).</p>
            {Error(error)}
            <form method="post" action="/account/reset-password">
            {Antiforgery(http, antiforgery)}
            <input type="hidden" name="jeton" value="{E(token)}">
            <label for="password">Nouveau mot de passe</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="{AccountRules.MinPasswordLength}">
            <label for="confirmation">Confirmez le mot de passe</label><input id="confirmation" name="confirmation" type="password" autocomplete="new-password" required>
            <button type="submit">Changer mon mot de passe</button>
            </form>
            """, status);
}
