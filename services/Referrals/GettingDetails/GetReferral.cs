namespace Coordination.Referrals.GettingDetails;

/// <summary>One step of a referral's history: what happened, when, by which organisation (never the content).</summary>
public sealed record HistoryEntry(long Version, string Event, DateTimeOffset At, Guid? ByOrganisationId);

public static class GetReferralEndpoints
{
    public static RouteGroupBuilder MapGetReferral(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", async Task<Results<Ok<ReferralView>, ProblemHttpResult>> (
                Guid id, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                var referral = await session.LoadAsync<ReferralDetails>(id, ct);
                if (referral is null || ReferralView.RelationOf(referral, user) is not { } viewer)
                    return Problems.NotFound();
                if (referral.ArchivedAt is not null && viewer != Viewer.Support)
                    return Archived();
                var now = time.GetUtcNow();
                var allowed = await AllowedActions(session, referral, user, now, ct);
                var chain = viewer == Viewer.Collector ? await ReferralChain.Load(session, referral, user, ct) : null;
                Auditing.ReferralAudit.RecordRead(session, http, id, "details", now);
                await session.SaveChangesAsync(ct);
                http.Response.SetETag(referral.Version);
                var view = ReferralView.For(referral, viewer, await Privacy.KeyRing.For(session, [referral], ct));
                return TypedResults.Ok(view with { AllowedActions = allowed, Chain = chain });
            })
            .WithName("GetReferral")
            .WithSummary("One referral as the caller may see it; other organisations get 404.");

        group.MapGet("/{id:guid}/history", async Task<Results<Ok<List<HistoryEntry>>, ProblemHttpResult>> (
                Guid id, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var referral = await session.LoadAsync<ReferralDetails>(id, ct);
                if (referral is null || ReferralView.RelationOf(referral, CurrentUser.From(http.User)) is null)
                    return Problems.NotFound();
                Auditing.ReferralAudit.RecordRead(session, http, id, "history", time.GetUtcNow());
                await session.SaveChangesAsync(ct);
                var events = await session.Events.FetchStreamAsync(id, token: ct);
                return TypedResults.Ok(events.Select(e => new HistoryEntry(e.Version, EventName(e.Data), e.Timestamp, ActingOrganisation(e.Data))).ToList());
            })
            .WithName("GetReferralHistory")
            .WithSummary("The full timeline of a referral (event, time, acting organisation).");
        return group;
    }

    /// <summary>The commands the caller may give now: each command's own Decide, run on the current state.</summary>
    public static async Task<IReadOnlyList<string>> AllowedActions(
        IDocumentSession session, ReferralDetails referral, CurrentUser user, DateTimeOffset now, CancellationToken ct)
    {
        var state = await session.Events.FetchLatest<Referral>(referral.Id, ct);
        if (state is null) return [];
        var receiver = await session.LoadAsync<DirectoryView.KnownOrganisation>(referral.ReceiverOrganisationId, ct);
        var probe = new ActionProbe(state, referral, user, ReferralActor.TryFrom(user), now, receiver);
        return ReferralAction.AllowedFor(Apis.ReferralsApi.Actions, probe);
    }

    /// <summary>Out of the active base: the parties read it only through an audited, justified archive access.</summary>
    public static ProblemHttpResult Archived() => TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Orientation archivée",
        detail: "Cette orientation est archivée : seule une personne habilitée peut la consulter, en indiquant le motif (POST …/archive-access).");

    private static string EventName(object data) => Coordination.ServiceDefaults.Messaging.ContractCodes.Kebab(data.GetType().Name);

    private static Guid? ActingOrganisation(object data) =>
        data.GetType().GetProperty("By")?.GetValue(data) is Party by ? by.OrganisationId
        : data is ReferralDrafted drafted ? drafted.Sender.OrganisationId
        : null;
}
