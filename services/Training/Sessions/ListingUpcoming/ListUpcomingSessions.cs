using Coordination.ReferenceData;
using Coordination.Training.Modules;
using Coordination.Training.Sessions.GettingDetails;

namespace Coordination.Training.Sessions.ListingUpcoming;

public static class ListUpcomingSessions
{
    public static RouteGroupBuilder MapListUpcomingSessions(this RouteGroupBuilder group)
    {
        group.MapGet("/sessions", Handle).WithName("GetUpcomingTrainingSessions")
            .WithSummary("Sessions by département, period and audience (upcoming by default), soonest first.");
        return group;
    }

    private static async Task<Results<Ok<List<SessionView>>, ValidationProblem>> Handle(
        HttpContext http, IQuerySession session, TimeProvider time, CancellationToken ct,
        string? departement = null, DateTimeOffset? from = null, DateTimeOffset? to = null, string? audience = null)
    {
        if (departement is not null && !Vocabularies.Departements.ContainsKey(departement))
            return Problems.Invalid(new Dictionary<string, string[]> { ["departement"] = ["Ce n'est pas un code de département INSEE."] });
        if (!QueryValues.TryParseEnum<Audience>(audience, out var audienceFilter))
            return Problems.Invalid(new Dictionary<string, string[]> { ["audience"] = [$"Public inconnu : {QueryValues.Allowed<Audience>()}."] });
        var now = time.GetUtcNow();
        var since = from ?? now;
        IQueryable<SessionDetails> query = session.Query<SessionDetails>().Where(s => s.StartsAt >= since && s.Status != SessionStatus.Cancelled);
        if (to is not null) query = query.Where(s => s.StartsAt < to);
        if (departement is not null) query = query.Where(s => s.Departement == departement);
        if (audienceFilter is not null) query = query.Where(s => s.Audience == audienceFilter || s.Audience == Audience.Both);
        var user = CurrentUser.From(http.User);
        var sessions = await query.OrderBy(s => s.StartsAt).Take(200).ToListAsync(ct);
        return TypedResults.Ok(sessions.Select(s => SessionView.For(s, user, now)).ToList());
    }
}
