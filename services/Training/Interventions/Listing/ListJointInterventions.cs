using Coordination.ReferenceData;

namespace Coordination.Training.Interventions.Listing;

public static class ListJointInterventions
{
    public static RouteGroupBuilder MapListJointInterventions(this RouteGroupBuilder group)
    {
        group.MapGet("/interventions", async Task<Results<Ok<List<JointInterventionDetails>>, ValidationProblem>> (
                IQuerySession session, CancellationToken ct, string? departement = null, DateOnly? from = null, DateOnly? to = null) =>
            {
                if (departement is not null && !Vocabularies.Departements.ContainsKey(departement))
                    return Problems.Invalid(new Dictionary<string, string[]> { ["departement"] = ["Ce n'est pas un code de département INSEE."] });
                IQueryable<JointInterventionDetails> query = session.Query<JointInterventionDetails>();
                if (departement is not null) query = query.Where(i => i.Departement == departement);
                if (from is not null) query = query.Where(i => i.Date >= from);
                if (to is not null) query = query.Where(i => i.Date <= to);
                return TypedResults.Ok((await query.OrderByDescending(i => i.Date).Take(500).ToListAsync(ct)).ToList());
            })
            .WithName("GetJointInterventions").WithSummary("Joint interventions by département and period, latest first.");
        return group;
    }
}
