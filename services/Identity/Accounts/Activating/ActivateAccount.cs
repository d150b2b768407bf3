using Coordination.Identity.Endpoints;
using Microsoft.AspNetCore.Antiforgery;
using static Coordination.Identity.Endpoints.IdentityPages;

namespace Coordination.Identity.Accounts.Activating;

public sealed record ActivateAccount(string Secret, string PasswordHash, DateTimeOffset At);

/// <summary>The invitee follows the e-mail's link and chooses a password: the account can sign in from then on.</summary>
public static class ActivateAccountPage
{
    public const string LinkInvalid = "Ce lien d'invitation n'est plus valable (déjà utilisé, expiré ou remplacé). Demandez une nouvelle invitation à la personne qui vous a invité.";

    public static IReadOnlyList<object> Decide(ActivateAccount command, Account state)
    {
        if (state.Activated || state.Disabled || !OneTimeLinks.Matches(state.Invitation, command.Secret, command.At))
            throw new BusinessRuleViolation(LinkInvalid);
        return [new AccountActivated(state.Id, state.Role, state.OrganisationId, state.OrganisationManager, command.PasswordHash, command.At)];
    }

    public static IEndpointRouteBuilder MapActivateAccountPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/invitation", (HttpContext http, IAntiforgery antiforgery, string? jeton) =>
            Form(http, antiforgery, jeton, error: null)).AllowAnonymous();

        app.MapPost("/account/invitation", (HttpContext http, IAntiforgery antiforgery, IDocumentSession session, TimeProvider time,
            CancellationToken ct) =>
            PasswordLinkForm.SubmitAsync(http, antiforgery, session, "Invitation", LinkInvalid,
                formWithError: (token, error) => Form(http, antiforgery, token, error, StatusCodes.Status400BadRequest),
                decide: (secret, passwordHash, state) => Decide(new ActivateAccount(secret, passwordHash, time.GetUtcNow()), state),
                done: account => Render(http, "Compte activé", $"""
                    <p>Votre compte est activé. Connectez-vous avec votre adresse e-mail <strong>{E(account.Username)}</strong>
                    et le mot de passe que vous venez de choisir.</p>
                    <p><a href="/">Aller à Coordination</a></p>
                    """), ct))
            .AllowAnonymous().DisableAntiforgery(); // validated by SubmitAsync, before it reads the form
        return app;
    }

    private static IResult Form(HttpContext http, IAntiforgery antiforgery, string? token, string? error, int status = StatusCodes.Status200OK) =>
        Render(http, "Activer votre compte", $"""
            <p>Choisissez le mot de passe de votre compte Coordination (au moins {AccountRules.MinPasswordLength} caractères ;
            une phrase de quelques mots est idéale).</p>
            {Error(error)}
            <form method="post" action="/account/invitation">
            {Antiforgery(http, antiforgery)}
            <input type="hidden" name="jeton" value="{E(token)}">
            <label for="password">Mot de passe</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="{AccountRules.MinPasswordLength}">
            <label for="confirmation">Confirmez le mot de passe</label><input id="confirmation" name="confirmation" type="password" autocomplete="new-password" required>
            <button type="submit">Activer mon compte</button>
            </form>
            """, status);
}
