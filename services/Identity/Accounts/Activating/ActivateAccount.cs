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

        app.MapPost("/account/invitation", async (HttpContext http, IAntiforgery antiforgery, IDocumentSession session, TimeProvider time,
            CancellationToken ct) =>
        {
            await antiforgery.ValidateRequestAsync(http);
            var form = await http.Request.ReadFormAsync(ct);
            var token = form["jeton"].ToString();
            var password = form["password"].ToString();
            var validation = new FieldValidation();
            AccountRules.ValidatePassword(validation, password, "password");
            if (password != form["confirmation"].ToString())
                validation.Add("confirmation", "Les deux mots de passe ne sont pas identiques.");
            if (!validation.IsValid)
                return Form(http, antiforgery, token, string.Join(" ", validation.Errors.SelectMany(e => e.Value)), StatusCodes.Status400BadRequest);
            if (!OneTimeLinks.TryRead(token, out var id, out var secret))
                return Render(http, "Invitation", Error(LinkInvalid), StatusCodes.Status400BadRequest);
            var stream = await session.Events.FetchForWriting<Account>(id, ct);
            try
            {
                if (stream.Aggregate is null)
                    throw new BusinessRuleViolation(LinkInvalid);
                stream.AppendMany(Decide(new ActivateAccount(secret, PasswordHashing.Hash(password), time.GetUtcNow()), stream.Aggregate));
                // Marten checks the version on commit: a link posted twice at once activates once.
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (e is BusinessRuleViolation or JasperFx.ConcurrencyException)
            {
                return Render(http, "Invitation", Error(LinkInvalid), StatusCodes.Status400BadRequest);
            }
            return Render(http, "Compte activé", $"""
                <p>Votre compte est activé. Connectez-vous avec votre adresse e-mail <strong>{E(stream.Aggregate.Username)}</strong>
                et le mot de passe que vous venez de choisir.</p>
                <p><a href="/">Aller à Coordination</a></p>
                """);
        }).AllowAnonymous().DisableAntiforgery(); // validated explicitly above, before reading the form
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
