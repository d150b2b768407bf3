using Coordination.Projects.GettingDetails;
using Coordination.ReferenceData;

namespace Coordination.Projects.Creating;

public sealed record CreateProjectRequest(
    string? Title, ProjectType? Type, IReadOnlyList<string>? Departements, Guid? LeadOrganisationId, string? Description,
    decimal? Budget, DateOnly? TargetStart, DateOnly? TargetEnd);

public sealed record CreateProject(
    Guid ProjectId, string Title, ProjectType Type, IReadOnlyList<string> Departements, Guid LeadOrganisationId, string Description,
    decimal Budget, DateOnly? TargetStart, DateOnly? TargetEnd, CurrentUser By, DateTimeOffset At);

public static class CreateProjectEndpoint
{
    /// <summary>Staff start projects for their own organisation; the national coordinators for any.</summary>
    public static void EnsureMayLead(Guid leadOrganisationId, CurrentUser by)
    {
        if (!by.IsCoordinatorOrAdmin && !by.WorksFor(leadOrganisationId))
            throw new AccessDenied("Vous ne pouvez porter un projet que pour votre propre organisation.");
    }

    public static IReadOnlyList<object> Decide(CreateProject command)
    {
        EnsureMayLead(command.LeadOrganisationId, command.By);
        return
        [
            new ProjectCreated(command.ProjectId, command.Title, command.Type, command.Departements, command.LeadOrganisationId, command.Description,
                command.Budget, command.TargetStart, command.TargetEnd, command.By.UserId, command.At),
        ];
    }

    public static RouteGroupBuilder MapCreateProject(this RouteGroupBuilder group)
    {
        group.MapPost("/", Handle).WithName("CreateProject").WithSummary("Start a project (its lead organisation's staff, or coordinators).");
        return group;
    }

    private static async Task<Results<Created<ProjectView>, ValidationProblem>> Handle(
        CreateProjectRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var validation = new ProjectValidation();
        var title = validation.Text(request.Title, "title", 200, required: true);
        if (request.Type is null) validation.Add("type", "Indiquez le type de projet.");
        if (request.Departements is not { Count: > 0 } || request.Departements.Any(d => !Vocabularies.Departements.ContainsKey(d ?? "")))
            validation.Add("departements", "Indiquez au moins un département (codes INSEE).");
        if (request.LeadOrganisationId is not { } lead) validation.Add("leadOrganisationId", "Indiquez l'organisation qui porte le projet.");
        else EnsureMayLead(lead, user);
        var description = validation.Text(request.Description, "description", 4000, required: true);
        validation.Money(request.Budget, "budget", required: true);
        if (request.TargetStart is { } start && request.TargetEnd is { } end && end < start) validation.Add("targetEnd", "La fin prévue suit le début prévu.");
        if (!validation.IsValid) return Problems.Invalid(validation.Errors);

        var id = Guid.CreateVersion7();
        session.Events.StartStream<Project>(id, Decide(new CreateProject(id, title!, request.Type!.Value, [.. request.Departements!.Distinct()],
            request.LeadOrganisationId!.Value, description!, request.Budget!.Value, request.TargetStart, request.TargetEnd, user, time.GetUtcNow())));
        await session.SaveChangesAsync(ct);
        var project = (await session.LoadAsync<Project>(id, ct))!;
        http.Response.SetETag(1);
        return TypedResults.Created($"/api/projects/{id}", ProjectView.Of(project, 1, user));
    }
}
