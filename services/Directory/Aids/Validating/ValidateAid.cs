namespace Coordination.Directory.Aids.Validating;

public sealed record ValidateAid(Guid AidId, string ValidatedBy, DateTimeOffset ValidatedAt);

public static class ValidateAidEndpoint
{
    /// <summary>Validating a proposal publishes it, and the moderator vouches for it: it counts as a verification.</summary>
    public static IReadOnlyList<object> Decide(ValidateAid command, Aid state) => state.Status switch
    {
        AidStatus.Proposed =>
        [
            new AidPublished(command.AidId, command.ValidatedBy, command.ValidatedAt),
            new AidVerified(command.AidId, command.ValidatedBy, command.ValidatedAt),
        ],
        AidStatus.Published => throw new BusinessRuleViolation("Cette aide est déjà publiée."),
        AidStatus.Rejected => throw new BusinessRuleViolation("Cette proposition a été refusée : proposez-la de nouveau si elle doit figurer au guide."),
        _ => throw new BusinessRuleViolation("Cette aide a été retirée du guide."),
    };

    public static RouteGroupBuilder MapValidateAid(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/validation", Handle)
            .WithName("ValidateAid")
            .WithSummary("Publish a proposed aid (coordinators; referents for their départements' local aids; If-Match required).");
        return group;
    }

    private static async Task<NoContent> Handle(
        Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var moderator = await AidModerator.Required(http, session,
            "Seuls les coordinateurs nationaux et les référents désignés valident les aides.", ct);
        var command = new ValidateAid(id, moderator.User.UserId, time.GetUtcNow());
        return await AidRequests.Moderate(session, id, expected, http, moderator, state => Decide(command, state), ct);
    }
}
