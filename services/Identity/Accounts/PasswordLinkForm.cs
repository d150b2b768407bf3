using Microsoft.AspNetCore.Antiforgery;
using static Coordination.Identity.Endpoints.IdentityPages;

namespace Coordination.Identity.Accounts;

/// <summary>
/// The form behind an e-mailed one-time link that sets a password (accepting an invitation, resetting a forgotten
/// password): what both pages do around their own decision.
/// </summary>
public static class PasswordLinkForm
{
    /// <summary>
    /// Checks the antiforgery token (the endpoint disables the automatic check so that it happens here, before the form is
    /// read), the password typed twice, and the link; then takes the account's decision on the hashed password. A link used,
    /// expired or replaced, or posted twice at once, answers <paramref name="linkInvalid"/>, never which of these it was.
    /// </summary>
    public static async Task<IResult> SubmitAsync(
        HttpContext http, IAntiforgery antiforgery, IDocumentSession session, string title, string linkInvalid,
        Func<string, string, IResult> formWithError, Func<string, string, Account, IReadOnlyList<object>> decide,
        Func<Account, IResult> done, CancellationToken ct)
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
            return formWithError(token, string.Join(" ", validation.Errors.SelectMany(e => e.Value)));
        if (!OneTimeLinks.TryRead(token, out var id, out var secret))
            return Render(http, title, Error(linkInvalid), StatusCodes.Status400BadRequest);
        var stream = await session.Events.FetchForWriting<Account>(id, ct);
        try
        {
            if (stream.Aggregate is null)
                throw new BusinessRuleViolation(linkInvalid);
            stream.AppendMany(decide(secret, PasswordHashing.Hash(password), stream.Aggregate));
            // Marten checks the version on commit: a link posted twice at once is used once.
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is BusinessRuleViolation or JasperFx.ConcurrencyException)
        {
            return Render(http, title, Error(linkInvalid), StatusCodes.Status400BadRequest);
        }
        return done(stream.Aggregate);
    }
}
