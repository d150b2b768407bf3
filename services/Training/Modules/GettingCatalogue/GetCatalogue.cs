namespace Coordination.Training.Modules.GettingCatalogue;

public static class GetCatalogue
{
    public static RouteGroupBuilder MapGetCatalogue(this RouteGroupBuilder group)
    {
        group.MapGet("/modules", async (IQuerySession session, CancellationToken ct, bool includeRetired = false) =>
            {
                IQueryable<ModuleDetails> query = session.Query<ModuleDetails>();
                if (!includeRetired) query = query.Where(m => !m.Retired);
                return TypedResults.Ok(await query.OrderBy(m => m.Content.Title).ToListAsync(ct));
            })
            .WithName("GetTrainingCatalogue").WithSummary("The catalogue of training modules.");
        return group;
    }
}
