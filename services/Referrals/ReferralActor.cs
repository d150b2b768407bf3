using System.Security.Claims;

namespace Coordination.Referrals;

public static class ReferralActor
{
    /// <summary>Only professionals acting for an organisation hand people off; coordinators see figures, not people.</summary>
    public static Party From(ClaimsPrincipal principal)
    {
        var user = CurrentUser.From(principal);
        if (!Roles.OrganisationStaff.Contains(user.Role) || user.OrganisationId is not { } organisation)
            throw new AccessDenied("Seul le personnel d'une organisation (ISCG, association, partenaire) agit sur les orientations.");
        return new Party(user.UserId, organisation);
    }

    /// <summary>The party the user acts as, or null for someone who does not act on referrals (admins, coordinators).</summary>
    public static Party? TryFrom(CurrentUser user) =>
        Roles.OrganisationStaff.Contains(user.Role) && user.OrganisationId is { } organisation ? new Party(user.UserId, organisation) : null;
}

/// <summary>The common path of every command on an existing referral.</summary>
public static class ReferralCommand
{
    public static async Task<NoContent> Execute(
        Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
        Func<Referral, Party, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var actor = ReferralActor.From(http.User);
        return await session.ExecuteCommand<Referral>(id, expected, http, state => decide(state, actor), ct,
            authorize: state =>
            {
                // Another organisation's referral does not exist, as far as the caller can tell.
                if (!state.Involves(actor.OrganisationId))
                    throw new ResourceNotFound();
            });
    }

    /// <summary>
    /// A command whose one input is a required free text (a reason, a message): checked, sealed under the person's key
    /// (such a text may name them, so it is never stored in clear), then <see cref="Execute"/> with the sealed text.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem>> ExecuteWithSealedText(
        Guid id, string? text, string field, int maxLength, ExpectedVersion expected, HttpContext http, IDocumentSession session,
        TimeProvider time, Func<Referral, Party, string, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var errors = new Drafting.ReferralValidation();
        var checkedText = errors.Text(text, field, maxLength, required: true);
        if (!errors.IsValid) return Problems.Invalid(errors.Errors);
        var sealer = await Privacy.Sealer.ForReferral(session, id, time.GetUtcNow(), ct);
        return await Execute(id, expected, http, session, (state, actor) => decide(state, actor, sealer.Seal(checkedText!)), ct);
    }
}
