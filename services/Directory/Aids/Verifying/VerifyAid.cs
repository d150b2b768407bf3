namespace Coordination.Directory.Aids.Verifying;

public sealed record VerifyAid(Guid AidId, string VerifiedBy, DateTimeOffset VerifiedAt);

public static class VerifyAidEndpoint
{
    /// <summary>"Checked against its source today": clears the "à vérifier" flag for another 12 months.</summary>
    public static IReadOnlyList<object> Decide(VerifyAid command, Aid state)
    {
        state.EnsurePublished();
        return [new AidVerified(command.AidId, command.VerifiedBy, command.VerifiedAt)];
    }

    public static RouteGroupBuilder MapVerifyAid(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/verification", Handle)
            .WithName("VerifyAid")
            .WithSummary("Record that a published aid was checked against its source (moderators; If-Match required).");
        return group;
    }

    private static async Task<NoContent> Handle(
        Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var moderator = await AidModerator.Required(http, session,
            "Seuls les coordinateurs nationaux et les référents désignés vérifient les aides.", ct);
        var command = new VerifyAid(id, moderator.User.UserId, time.GetUtcNow());
        return await AidRequests.Moderate(session, id, expected, http, moderator, state => Decide(command, state), ct);
    }
}
