namespace Coordination.Projects.SupportRequests.Opening;

public sealed record NewSupportRequest(SupportKind? Kind, string? Message);

public sealed record OpenSupportRequest(Guid RequestId, SupportKind Kind, string Message, CurrentUser By, DateTimeOffset At);

public static class OpenSupportRequestEndpoint
{
    public static void Guard(Project project, CurrentUser by)
    {
        if (!by.IsCoordinatorOrAdmin && !by.WorksFor(project.LeadOrganisationId))
            throw new AccessDenied("Seule l'organisation qui porte le projet demande un appui.");
    }

    public static IReadOnlyList<object> Decide(OpenSupportRequest command, Project project)
    {
        Guard(project, command.By);
        return [new SupportRequested(command.RequestId, project.Id, project.LeadOrganisationId, command.Kind, command.Message, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapOpenSupportRequest(this RouteGroupBuilder group)
    {
        group.MapPost("/{projectId:guid}/support-requests", async Task<Results<Created<SupportRequestDetails>, ValidationProblem, ProblemHttpResult>> (
                Guid projectId, NewSupportRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                // A project the caller's organisation has no part in does not exist for it: same answer as an unknown id.
                var project = await session.LoadAsync<Project>(projectId, ct);
                if (project is null || !project.Involves(user)) return Problems.NotFound(ProjectRules.NotFound);
                Guard(project, user);
                var validation = new ProjectValidation();
                if (request.Kind is null)
                    validation.Add("kind", "Précisez la demande : modelDocument, fundingFileReview, legalQuestion, partnerContact ou other.");
                var message = validation.Text(request.Message, "message", 4000, required: true);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                var id = Guid.CreateVersion7();
                session.Events.StartStream<SupportRequestDetails>(id,
                    Decide(new OpenSupportRequest(id, request.Kind!.Value, message!, user, time.GetUtcNow()), project));
                await session.SaveChangesAsync(ct);
                http.Response.SetETag(1);
                return TypedResults.Created($"/api/projects/support-requests/{id}", (await session.LoadAsync<SupportRequestDetails>(id, ct))!);
            })
            .WithName("OpenSupportRequest").WithSummary("Ask the national coordinators for help (model document, funding file review…).");
        return group;
    }
}
