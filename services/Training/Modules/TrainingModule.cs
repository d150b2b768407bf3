using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.Training.Modules;

public enum Audience { IscgWorkers, AssociationStaff, Both, Partners }

public enum TrainingFormat { InPerson, Remote, Hybrid }

public sealed record ModuleContent(
    string Title, string Objectives, Audience Audience, int DurationMinutes, TrainingFormat Format, IReadOnlyList<Guid> CoDesignedBy);

public sealed record ModulePublished(Guid ModuleId, ModuleContent Content, string By, DateTimeOffset At);

/// <summary>A new version; sessions already scheduled keep the version they were scheduled with.</summary>
public sealed record ModuleRevised(Guid ModuleId, int Version, ModuleContent Content, string By, DateTimeOffset At);

public sealed record ModuleRetired(Guid ModuleId, string Reason, string By, DateTimeOffset At);

public sealed record TrainingModule(Guid Id, int Version, ModuleContent Content, bool Retired);

public static class ModuleEvolution
{
    public static TrainingModule? Evolve(TrainingModule? state, object @event) => (state, @event) switch
    {
        (null, ModulePublished p) => new TrainingModule(p.ModuleId, 1, p.Content, false),
        (null, _) => null,
        (_, ModuleRevised r) => state with { Version = r.Version, Content = r.Content },
        (_, ModuleRetired) => state with { Retired = true },
        _ => state,
    };

    public static IReadOnlyList<object> Revise(TrainingModule state, ModuleContent content, string by, DateTimeOffset at)
    {
        if (state.Retired) throw new BusinessRuleViolation("Ce module est retiré du catalogue : il ne peut plus être révisé.");
        return state.Content == content ? [] : [new ModuleRevised(state.Id, state.Version + 1, content, by, at)];
    }

    public static IReadOnlyList<object> Retire(TrainingModule state, string reason, string by, DateTimeOffset at) =>
        state.Retired ? throw new BusinessRuleViolation("Ce module est déjà retiré du catalogue.") : [new ModuleRetired(state.Id, reason, by, at)];
}

public sealed partial class TrainingModuleProjection : SingleStreamProjection<TrainingModule, Guid>
{
    public override TrainingModule? Evolve(TrainingModule? snapshot, Guid id, IEvent e) => ModuleEvolution.Evolve(snapshot, e.Data);
}

/// <summary>The catalogue entry of a module, with the history of its versions.</summary>
public sealed record ModuleDetails(
    Guid Id, int Version, ModuleContent Content, bool Retired, string? RetiredBecause,
    IReadOnlyList<ModuleVersion> Versions, long StreamVersion);

public sealed record ModuleVersion(int Version, ModuleContent Content, DateTimeOffset At);

public sealed partial class ModuleDetailsProjection : SingleStreamProjection<ModuleDetails, Guid>
{
    public override ModuleDetails? Evolve(ModuleDetails? snapshot, Guid id, IEvent e) => (snapshot, e.Data) switch
    {
        (null, ModulePublished p) => new ModuleDetails(p.ModuleId, 1, p.Content, false, null, [new ModuleVersion(1, p.Content, p.At)], e.Version),
        (null, _) => null,
        (_, ModuleRevised r) => snapshot with
        {
            Version = r.Version, Content = r.Content, Versions = [.. snapshot.Versions, new ModuleVersion(r.Version, r.Content, r.At)], StreamVersion = e.Version,
        },
        (_, ModuleRetired r) => snapshot with { Retired = true, RetiredBecause = r.Reason, StreamVersion = e.Version },
        _ => snapshot,
    };
}

public sealed record ModuleRequest(string? Title, string? Objectives, Audience? Audience, int? DurationMinutes, TrainingFormat? Format, IReadOnlyList<Guid>? CoDesignedBy);

public sealed record RetireModuleRequest(string? Reason);

public static class ModulesApi
{
    public static RouteGroupBuilder MapModules(this RouteGroupBuilder group)
    {
        group.MapPost("/modules", async Task<Results<Created<ModuleDetails>, ValidationProblem>> (
                ModuleRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                if (Validate(request) is { } invalid) return Problems.Invalid(invalid.Errors);
                var id = Guid.CreateVersion7();
                session.Events.StartStream<TrainingModule>(id, new ModulePublished(id, Content(request), CurrentUser.From(http.User).UserId, time.GetUtcNow()));
                await session.SaveChangesAsync(ct);
                var details = (await session.LoadAsync<ModuleDetails>(id, ct))!;
                http.Response.SetETag(details.StreamVersion);
                return TypedResults.Created($"/api/training/modules/{id}", details);
            })
            .RequireAuthorization(Policies.Coordinators).WithName("PublishTrainingModule")
            .WithSummary("Publish a training module designed by both networks (coordinators).");

        group.MapPut("/modules/{id:guid}", async Task<Results<NoContent, ValidationProblem>> (
                Guid id, ModuleRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                if (Validate(request) is { } invalid) return Problems.Invalid(invalid.Errors);
                var version = await session.GetAndUpdate<TrainingModule>(id, expected,
                    state => ModuleEvolution.Revise(state, Content(request), CurrentUser.From(http.User).UserId, time.GetUtcNow()), ct);
                http.Response.SetETag(version);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Coordinators).WithName("ReviseTrainingModule")
            .WithSummary("Revise a module: a new version; scheduled sessions keep theirs (If-Match).");

        group.MapPost("/modules/{id:guid}/retirement", async Task<Results<NoContent, ValidationProblem>> (
                Guid id, RetireModuleRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new TrainingValidation();
                var reason = validation.Text(request.Reason, "reason", 1000, required: true);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                var version = await session.GetAndUpdate<TrainingModule>(id, expected,
                    state => ModuleEvolution.Retire(state, reason!, CurrentUser.From(http.User).UserId, time.GetUtcNow()), ct);
                http.Response.SetETag(version);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Coordinators).WithName("RetireTrainingModule")
            .WithSummary("Take a module out of the catalogue (If-Match).");

        group.MapGet("/modules", async (IQuerySession session, CancellationToken ct, bool includeRetired = false) =>
            {
                IQueryable<ModuleDetails> query = session.Query<ModuleDetails>();
                if (!includeRetired) query = query.Where(m => !m.Retired);
                return TypedResults.Ok(await query.OrderBy(m => m.Content.Title).ToListAsync(ct));
            })
            .WithName("GetTrainingCatalogue").WithSummary("The catalogue of training modules.");

        group.MapGet("/modules/{id:guid}", async Task<Results<Ok<ModuleDetails>, ProblemHttpResult>> (
                Guid id, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var module = await session.LoadAsync<ModuleDetails>(id, ct);
                if (module is null) return Problems.NotFound("Aucun module avec cet identifiant.");
                http.Response.SetETag(module.StreamVersion);
                return TypedResults.Ok(module);
            })
            .WithName("GetTrainingModule").WithSummary("One module with its versions.");
        return group;
    }

    private static ModuleContent Content(ModuleRequest r) =>
        new(r.Title!.Trim(), r.Objectives!.Trim(), r.Audience!.Value, r.DurationMinutes!.Value, r.Format!.Value, [.. (r.CoDesignedBy ?? []).Distinct()]);

    private static TrainingValidation? Validate(ModuleRequest request)
    {
        var validation = new TrainingValidation();
        validation.Text(request.Title, "title", 200, required: true);
        validation.Text(request.Objectives, "objectives", 4000, required: true);
        if (request.Audience is null) validation.Add("audience", "Précisez le public : iscgWorkers, associationStaff, both ou partners.");
        if (request.DurationMinutes is not (>= 30 and <= 5 * 8 * 60)) validation.Add("durationMinutes", "La durée va de 30 minutes à 5 jours (2400 minutes).");
        if (request.Format is null) validation.Add("format", "Précisez le format : inPerson, remote ou hybrid.");
        if (request.CoDesignedBy is { Count: > 20 }) validation.Add("coDesignedBy", "Trop d'organisations.");
        return validation.IsValid ? null : validation;
    }
}
