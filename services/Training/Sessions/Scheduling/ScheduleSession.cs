using Coordination.ReferenceData;
using Coordination.Training.Modules;
using Coordination.Training.Sessions.GettingDetails;
using Microsoft.Extensions.Options;

namespace Coordination.Training.Sessions.Scheduling;

public sealed record TrainerRequest(string? Name, Network? Network, string? UserId);

public sealed record ScheduleSessionRequest(
    Guid? ModuleId, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Place, string? Link, string? Departement,
    IReadOnlyList<TrainerRequest>? Trainers, int? Capacity, bool? OpenRegistration);

/// <summary>A validated request: the module as it is now (the session keeps this version), times in UTC.</summary>
public sealed record ScheduleSession(
    Guid SessionId, ModuleDetails Module, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? Link, string Departement,
    IReadOnlyList<Trainer> Trainers, int Capacity, TimeSpan RegistrationClosesBefore, bool OpenRegistration, CurrentUser By, DateTimeOffset At);

public static class ScheduleSessionEndpoint
{
    public static IReadOnlyList<object> Decide(ScheduleSession command)
    {
        SessionRules.EnsureCoordinator(command.By);
        var closes = command.StartsAt - command.RegistrationClosesBefore;
        var content = command.Module.Content;
        List<object> events =
        [
            new SessionScheduled(command.SessionId, command.Module.Id, command.Module.Version, content.Title, content.Audience,
                content.DurationMinutes, command.StartsAt, command.EndsAt, command.Place, command.Link, command.Departement, command.Trainers,
                command.Capacity, closes < command.At ? command.At : closes, command.By.UserId, command.At),
        ];
        if (command.OpenRegistration) events.Add(new RegistrationOpened(command.SessionId, command.By.UserId, command.At));
        return events;
    }

    public static RouteGroupBuilder MapScheduleSession(this RouteGroupBuilder group)
    {
        group.MapPost("/sessions", Handle).RequireAuthorization(Policies.Coordinators)
            .WithName("ScheduleTrainingSession").WithSummary("Schedule a session of a module, with trainers from both networks (coordinators).");
        return group;
    }

    private static async Task<Results<Created<SessionView>, ValidationProblem>> Handle(ScheduleSessionRequest request, HttpContext http,
        IDocumentSession session, TimeProvider time, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var validation = new TrainingValidation();
        var module = request.ModuleId is { } moduleId ? await session.LoadAsync<ModuleDetails>(moduleId, ct) : null;
        if (module is null) validation.Add("moduleId", "Module inconnu.");
        else if (module.Retired) validation.Add("moduleId", "Ce module est retiré du catalogue.");
        if (request.StartsAt is not { } starts || starts <= now) validation.Add("startsAt", "Indiquez une date de début à venir.");
        if (request.EndsAt is not { } ends || request.StartsAt is null || ends <= request.StartsAt) validation.Add("endsAt", "La fin doit suivre le début.");
        if (request.Departement is null || !Vocabularies.Departements.ContainsKey(request.Departement))
            validation.Add("departement", "Indiquez le département (code INSEE).");
        if (request.Capacity is not (>= 1 and <= 500)) validation.Add("capacity", "La capacité va de 1 à 500 places.");
        var format = module?.Content.Format;
        var place = validation.Text(request.Place, "place", 300, required: format is TrainingFormat.InPerson or TrainingFormat.Hybrid);
        var link = validation.Text(request.Link, "link", 500, required: format is TrainingFormat.Remote or TrainingFormat.Hybrid);
        if (link is not null && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            validation.Add("link", "Le lien doit être une adresse https://.");
        var trainers = (request.Trainers ?? []).Select((trainer, index) =>
        {
            var name = validation.Text(trainer.Name, $"trainers[{index}].name", 200, required: true);
            if (trainer.Network is null)
                validation.Add($"trainers[{index}].network", "Précisez le réseau du formateur : aniscg ou franceVictimes (ou partners).");
            return new Trainer(name ?? "", trainer.Network ?? Network.Partners, string.IsNullOrWhiteSpace(trainer.UserId) ? null : trainer.UserId.Trim());
        }).ToList();
        // A joint training: at least one trainer from each network of the agreement.
        if (!trainers.Any(t => t.Network == Network.Aniscg) || !trainers.Any(t => t.Network == Network.FranceVictimes))
            validation.Add("trainers", "Une formation conjointe a au moins un formateur de chaque réseau (ANISCG et France Victimes).");
        if (!validation.IsValid) return Problems.Invalid(validation.Errors);

        var id = Guid.CreateVersion7();
        var user = CurrentUser.From(http.User);
        // Stored in UTC (clients send Paris time with its offset); shown back in Paris time.
        var command = new ScheduleSession(id, module!, request.StartsAt!.Value.ToUniversalTime(), request.EndsAt!.Value.ToUniversalTime(), place, link,
            request.Departement!, trainers, request.Capacity!.Value, options.Value.RegistrationClosesBefore, request.OpenRegistration ?? true, user, now);
        session.Events.StartStream<TrainingSession>(id, Decide(command));
        await session.SaveChangesAsync(ct);
        var details = (await session.LoadAsync<SessionDetails>(id, ct))!;
        http.Response.SetETag(details.Version);
        return TypedResults.Created($"/api/training/sessions/{id}", SessionView.For(details, user, now));
    }
}
