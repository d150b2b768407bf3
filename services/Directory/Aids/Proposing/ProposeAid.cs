namespace Coordination.Directory.Aids.Proposing;

/// <param name="PublishAtOnce">The author may moderate this aid (a coordinator, or the referent of its départements).</param>
public sealed record ProposeAid(Guid AidId, AidContent Content, bool PublishAtOnce, string ProposedBy, DateTimeOffset ProposedAt);

public sealed record AidCreated(Guid Id, AidStatus Status, long Version);

public static class ProposeAidEndpoint
{
    /// <summary>
    /// Staff propose; a moderator's own proposal is published at once. Neither counts as a verification: an aid is verified
    /// only by someone saying so, which keeps a freshly entered aid "à vérifier" until then.
    /// </summary>
    public static IReadOnlyList<object> Decide(ProposeAid command) => command.PublishAtOnce
        ? [new AidProposed(command.AidId, command.Content, command.ProposedBy, command.ProposedAt),
           new AidPublished(command.AidId, command.ProposedBy, command.ProposedAt)]
        : [new AidProposed(command.AidId, command.Content, command.ProposedBy, command.ProposedAt)];

    public static RouteGroupBuilder MapProposeAid(this RouteGroupBuilder group)
    {
        group.MapPost("/", Handle)
            .WithName("ProposeAid")
            .WithSummary("Propose an aid (staff); published at once when the author moderates it (coordinators, referents).");
        return group;
    }

    private static async Task<Results<Created<AidCreated>, ValidationProblem>> Handle(
        AidContentRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        AidAccess.EnsureMayPropose(user);
        var (content, validation) = await AidRequests.Check(request, session, ct);
        if (request.Id == Guid.Empty)
            validation.Add("id", "L'identifiant ne peut pas être nul.");
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        var moderator = await AidModerator.For(user, session, ct);
        var command = new ProposeAid(request.Id ?? Guid.CreateVersion7(), content!, moderator.MayModerate(content!), user.UserId, time.GetUtcNow());
        var events = Decide(command);
        session.Events.StartStream<Aid>(command.AidId, events.ToArray());
        await session.SaveChangesAsync(ct);

        http.Response.SetETag(events.Count);
        var status = command.PublishAtOnce ? AidStatus.Published : AidStatus.Proposed;
        return TypedResults.Created($"/api/directory/aids/{command.AidId}", new AidCreated(command.AidId, status, events.Count));
    }
}
