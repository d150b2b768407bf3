using Coordination.Projects.GettingDetails;
using Coordination.ReferenceData;

namespace Coordination.Projects.SearchingProjects;

public static class SearchProjects
{
    public static RouteGroupBuilder MapSearchProjects(this RouteGroupBuilder group)
    {
        group.MapGet("/", Handle).WithName("SearchProjects")
            .WithSummary("Projects by département, type, stage and lead organisation, with funding totals.");
        return group;
    }

    private static async Task<Results<Ok<List<ProjectView>>, ValidationProblem>> Handle(HttpContext http, IQuerySession session,
        CancellationToken ct, string? departement = null, string? type = null, string? stage = null, Guid? leadOrganisationId = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (departement is not null && !Vocabularies.Departements.ContainsKey(departement))
            errors["departement"] = ["Ce n'est pas un code de département INSEE."];
        if (!QueryValues.TryParseEnum<ProjectType>(type, out var typeFilter))
            errors["type"] = [$"Type inconnu : {QueryValues.Allowed<ProjectType>()}."];
        if (!QueryValues.TryParseEnum<Stage>(stage, out var stageFilter))
            errors["stage"] = [$"Étape inconnue : {QueryValues.Allowed<Stage>()}."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        IQueryable<Project> query = session.Query<Project>();
        if (departement is not null) query = query.Where(p => p.Departements.Contains(departement));
        if (typeFilter is not null) query = query.Where(p => p.Type == typeFilter);
        if (stageFilter is not null) query = query.Where(p => p.Stage == stageFilter);
        if (leadOrganisationId is not null) query = query.Where(p => p.LeadOrganisationId == leadOrganisationId);
        var user = CurrentUser.From(http.User);
        var projects = await query.OrderBy(p => p.Title).Take(500).ToListAsync(ct);
        return TypedResults.Ok(projects.Select(p => ProjectView.Of(p, 0, user)).ToList());
    }
}
