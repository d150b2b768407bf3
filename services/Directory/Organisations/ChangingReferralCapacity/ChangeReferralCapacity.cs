namespace Coordination.Directory.Organisations.ChangingReferralCapacity;

/// <param name="Note">Why, for the senders: "liste d'attente jusqu'au 15/01", "fermeture estivale"…</param>
public sealed record ChangeReferralCapacityRequest(bool? AcceptsReferrals, string? Note);

public sealed record ChangeReferralCapacity(Guid OrganisationId, bool AcceptsReferrals, string? Note, string ChangedBy, DateTimeOffset ChangedAt);

public static class ChangeReferralCapacityEndpoint
{
    public static IReadOnlyList<object> Decide(ChangeReferralCapacity command, Organisation state)
    {
        state.EnsureActive();
        if (state.AcceptsReferrals == command.AcceptsReferrals && state.CapacityNote == command.Note)
            return [];
        return [new OrganisationReferralCapacityChanged(command.OrganisationId, command.AcceptsReferrals, command.Note, command.ChangedBy, command.ChangedAt)];
    }

    public static RouteGroupBuilder MapChangeReferralCapacity(this RouteGroupBuilder group)
    {
        group.MapPut("/{id:guid}/referral-capacity", Handle)
            .WithName("ChangeOrganisationReferralCapacity")
            .WithSummary("Say whether the organisation accepts referrals right now (If-Match required).");
        return group;
    }

    private static async Task<Results<NoContent, ValidationProblem>> Handle(
        Guid id, ChangeReferralCapacityRequest request, ExpectedVersion expected,
        HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        OrganisationAccess.EnsureMayChange(user, id);
        var validation = new OrganisationValidation();
        if (request.AcceptsReferrals is null)
            validation.Add("acceptsReferrals", "Indiquez si l'organisation accepte des orientations (true ou false).");
        var note = validation.Optional(request.Note, "note", 500);
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        var command = new ChangeReferralCapacity(id, request.AcceptsReferrals!.Value, note, user.UserId, time.GetUtcNow());
        return await session.ExecuteCommand<Organisation>(id, expected, http, state => Decide(command, state), ct);
    }
}
