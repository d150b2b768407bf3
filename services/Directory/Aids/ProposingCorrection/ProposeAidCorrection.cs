namespace Coordination.Directory.Aids.ProposingCorrection;

/// <param name="Content">The whole aid as it should read (the form starts from the current sheet).</param>
/// <param name="Comment">What changed and where it was seen ("montant revalorisé au 1er avril, voir la page de la CAF").</param>
public sealed record ProposeAidCorrectionRequest(AidContentRequest? Content, string? Comment);

public sealed record ProposeAidCorrection(
    Guid AidId, Guid CorrectionId, AidContent Content, string? Comment, string ProposedBy, DateTimeOffset ProposedAt);

public sealed record CorrectionProposed(Guid CorrectionId, long Version);

public static class ProposeAidCorrectionEndpoint
{
    public const int MaxPendingCorrections = 10;

    public static IReadOnlyList<object> Decide(ProposeAidCorrection command, Aid state)
    {
        state.EnsurePublished();
        if (state.PendingCorrections.Count >= MaxPendingCorrections)
            throw new BusinessRuleViolation("Trop de corrections attendent déjà une validation pour cette aide : attendez qu'elles soient traitées.");
        if (command.Content.SameAs(state.Content))
            throw new BusinessRuleViolation("Cette correction ne change rien à la fiche actuelle.");
        if (state.PendingCorrections.Any(p => p.Content.SameAs(command.Content)))
            throw new BusinessRuleViolation("Une correction identique attend déjà une validation.");
        return [new AidCorrectionProposed(command.AidId, command.CorrectionId, command.Content, command.Comment, command.ProposedBy, command.ProposedAt)];
    }

    public static RouteGroupBuilder MapProposeAidCorrection(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/corrections", Handle)
            .WithName("ProposeAidCorrection")
            .WithSummary("Propose a correction of a published aid (staff and coordinators; a moderator accepts it; If-Match required).");
        return group;
    }

    private static async Task<Results<Created<CorrectionProposed>, ValidationProblem>> Handle(
        Guid id, ProposeAidCorrectionRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time,
        CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        AidAccess.EnsureMayPropose(user);
        var (content, validation) = await AidRequests.Check(request.Content, session, ct);
        var comment = validation.Text(request.Comment, "comment", 1000, required: false);
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        var command = new ProposeAidCorrection(id, Guid.CreateVersion7(), content!, comment, user.UserId, time.GetUtcNow());
        var version = await session.GetAndUpdate<Aid>(id, expected, state => Decide(command, state), ct);
        http.Response.SetETag(version);
        return TypedResults.Created($"/api/directory/aids/{id}", new CorrectionProposed(command.CorrectionId, version));
    }
}
