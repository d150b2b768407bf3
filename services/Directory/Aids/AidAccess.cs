using Coordination.Directory.Aids.Referents;

namespace Coordination.Directory.Aids;

/// <summary>Who moderates what: coordinators every aid; a département's designated referent the local aids of their départements.</summary>
public sealed record AidModerator(CurrentUser User, IReadOnlySet<string> ReferentOf)
{
    public bool IsModerator => User.IsCoordinatorOrAdmin || ReferentOf.Count > 0;

    /// <summary>National aids (and aids spanning départements the referent does not cover) stay with the national coordinators.</summary>
    public bool MayModerate(AidContent content) =>
        User.IsCoordinatorOrAdmin
        || (content.Scope == AidScope.Local && content.Departements.Count > 0 && content.Departements.All(ReferentOf.Contains));

    public void EnsureMayModerate(AidContent content)
    {
        if (!MayModerate(content))
            throw new AccessDenied(content.Scope == AidScope.National
                ? "Seuls les coordinateurs nationaux valident les aides nationales."
                : "Seuls les coordinateurs nationaux et les référents désignés des départements de cette aide peuvent la valider.");
    }

    /// <summary>The caller as a moderator, or 403 with <paramref name="refusal"/>, which says what only moderators do.</summary>
    public static async Task<AidModerator> Required(HttpContext http, IQuerySession session, string refusal, CancellationToken ct)
    {
        var moderator = await For(CurrentUser.From(http.User), session, ct);
        return moderator.IsModerator ? moderator : throw new AccessDenied(refusal);
    }

    public static async Task<AidModerator> For(CurrentUser user, IQuerySession session, CancellationToken ct)
    {
        var departements = await session.Query<DepartementAidReferents>()
            .Where(r => r.UserIds.Contains(user.UserId)).Select(r => r.Departement).ToListAsync(ct);
        return new AidModerator(user, departements.ToHashSet(StringComparer.Ordinal));
    }
}

public static class AidAccess
{
    /// <summary>Association, ISCG and partner staff propose; coordinators and admins too.</summary>
    public static void EnsureMayPropose(CurrentUser user)
    {
        if (!user.IsCoordinatorOrAdmin && !Roles.OrganisationStaff.Contains(user.Role))
            throw new AccessDenied("Seuls les professionnels des organisations et les coordinateurs peuvent proposer une aide.");
    }
}
