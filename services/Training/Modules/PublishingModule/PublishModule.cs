namespace Coordination.Training.Modules.PublishingModule;

public sealed record PublishModule(Guid ModuleId, ModuleContent Content, string By, DateTimeOffset At);

public static class PublishModuleEndpoint
{
    public static IReadOnlyList<object> Decide(PublishModule command) =>
        [new ModulePublished(command.ModuleId, command.Content, command.By, command.At)];

    public static RouteGroupBuilder MapPublishModule(this RouteGroupBuilder group)
    {
        group.MapPost("/modules", async Task<Results<Created<ModuleDetails>, ValidationProblem>> (
                ModuleRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                if (request.Invalid() is { } invalid) return Problems.Invalid(invalid.Errors);
                var id = Guid.CreateVersion7();
                session.Events.StartStream<TrainingModule>(id,
                    Decide(new PublishModule(id, request.Content(), CurrentUser.From(http.User).UserId, time.GetUtcNow())));
                await session.SaveChangesAsync(ct);
                var details = (await session.LoadAsync<ModuleDetails>(id, ct))!;
                http.Response.SetETag(details.StreamVersion);
                return TypedResults.Created($"/api/training/modules/{id}", details);
            })
            .RequireAuthorization(Policies.Coordinators).WithName("PublishTrainingModule")
            .WithSummary("Publish a training module designed by both networks (coordinators).");
        return group;
    }
}
