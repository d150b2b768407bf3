using System.Net;
using Coordination.ReferenceData;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Coordination.Training.Modules;
using JasperFx;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Coordination.Training.Sessions;

public sealed record TrainerRequest(string? Name, Network? Network, string? UserId);

public sealed record ScheduleSessionRequest(
    Guid? ModuleId, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Place, string? Link, string? Departement,
    IReadOnlyList<TrainerRequest>? Trainers, int? Capacity, bool? OpenRegistration);

public sealed record RegisterOnBehalfRequest(string? UserId, string? Name, Guid? OrganisationId, Network? Network);

public sealed record AttendanceRequest(IReadOnlyList<string>? Present);

public sealed record EvaluationRequest(int? Rating, string? Comment);

public sealed record CancelSessionRequest(string? Reason);

public sealed class TrainingOptions
{
    /// <summary>Registration closes this long before the session starts.</summary>
    public TimeSpan RegistrationClosesBefore { get; set; } = TimeSpan.FromDays(2);
}

public static class SessionsApi
{
    public static RouteGroupBuilder MapSessions(this RouteGroupBuilder group)
    {
        group.MapPost("/sessions", Schedule).RequireAuthorization(Policies.Coordinators)
            .WithName("ScheduleTrainingSession").WithSummary("Schedule a session of a module, with trainers from both networks (coordinators).");
        group.MapPost("/sessions/{id:guid}/registration-opening", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) => Update(id, expected, http, session,
                s => SessionDecisions.OpenRegistration(s, CurrentUser.From(http.User).UserId, time.GetUtcNow()), ct))
            .RequireAuthorization(Policies.Coordinators).WithName("OpenTrainingRegistration").WithSummary("Open registration (If-Match).");
        group.MapPost("/sessions/{id:guid}/registrations", RegisterSelf)
            .WithName("RegisterForTrainingSession").WithSummary("Register yourself: a place, or the waiting list in order.");
        group.MapPost("/sessions/{id:guid}/registrations/on-behalf", RegisterOnBehalf).RequireAuthorization(Policies.Coordinators)
            .WithName("RegisterSomeoneForTrainingSession").WithSummary("A coordinator registers a professional.");
        group.MapDelete("/sessions/{id:guid}/registrations/mine", (Guid id, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
                Retrying(id, session, s => SessionDecisions.CancelRegistration(s, CurrentUser.From(http.User).UserId, CurrentUser.From(http.User).UserId, time.GetUtcNow()), http, ct))
            .WithName("CancelMyTrainingRegistration").WithSummary("Cancel your registration; the first on the waiting list gets the place.");
        group.MapDelete("/sessions/{id:guid}/registrations/{userId}", (Guid id, string userId, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
                Retrying(id, session, s => SessionDecisions.CancelRegistration(s, userId, CurrentUser.From(http.User).UserId, time.GetUtcNow()), http, ct))
            .RequireAuthorization(Policies.Coordinators).WithName("CancelTrainingRegistration").WithSummary("A coordinator cancels someone's registration.");
        group.MapPost("/sessions/{id:guid}/attendance", async Task<Results<NoContent, ValidationProblem>> (Guid id, AttendanceRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                if (request.Present is null)
                    return Problems.Invalid(new Dictionary<string, string[]> { ["present"] = ["Listez les personnes présentes (identifiants)."] });
                return await Update(id, expected, http, session,
                    s => SessionDecisions.RecordAttendance(s, request.Present, CurrentUser.From(http.User), time.GetUtcNow()), ct);
            })
            .WithName("RecordTrainingAttendance").WithSummary("Trainers or coordinators record who came (If-Match).");
        group.MapPost("/sessions/{id:guid}/evaluations", async Task<Results<NoContent, ValidationProblem>> (Guid id, EvaluationRequest request,
                HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new TrainingValidation();
                if (request.Rating is not (>= 1 and <= 5)) validation.Add("rating", "La satisfaction se note de 1 à 5.");
                var comment = validation.Text(request.Comment, "comment", 2000, required: false);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                return await Retrying(id, session, s => SessionDecisions.Evaluate(s, CurrentUser.From(http.User).UserId, request.Rating!.Value, comment, time.GetUtcNow()), http, ct);
            })
            .WithName("EvaluateTrainingSession").WithSummary("An attendee rates the session (1–5) once, with an optional comment.");
        group.MapPost("/sessions/{id:guid}/closing", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
                Update(id, expected, http, session, s => SessionDecisions.Close(s, CurrentUser.From(http.User).UserId, time.GetUtcNow()), ct))
            .RequireAuthorization(Policies.Coordinators).WithName("CloseTrainingSession").WithSummary("Close a session that took place (If-Match).");
        group.MapPost("/sessions/{id:guid}/cancellation", async Task<Results<NoContent, ValidationProblem>> (Guid id, CancelSessionRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var validation = new TrainingValidation();
                var reason = validation.Text(request.Reason, "reason", 1000, required: true);
                if (!validation.IsValid) return Problems.Invalid(validation.Errors);
                return await Update(id, expected, http, session, s => SessionDecisions.Cancel(s, reason!, CurrentUser.From(http.User).UserId, time.GetUtcNow()), ct);
            })
            .RequireAuthorization(Policies.Coordinators).WithName("CancelTrainingSession").WithSummary("Cancel a session; registrants are told through its events (If-Match).");

        group.MapGet("/sessions", UpcomingSessions).WithName("GetUpcomingTrainingSessions")
            .WithSummary("Sessions by département, period and audience (upcoming by default), soonest first.");
        group.MapGet("/sessions/{id:guid}", async Task<Results<Ok<SessionView>, ProblemHttpResult>> (Guid id, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var details = await session.LoadAsync<SessionDetails>(id, ct);
                if (details is null) return Problems.NotFound("Aucune session avec cet identifiant.");
                http.Response.SetETag(details.Version);
                return TypedResults.Ok(SessionView.For(details, CurrentUser.From(http.User).UserId));
            }).WithName("GetTrainingSession").WithSummary("One session: counts and your own place, no names.");
        group.MapGet("/sessions/{id:guid}/roster", async Task<Results<Ok<SessionDetails>, ProblemHttpResult>> (Guid id, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var details = await session.LoadAsync<SessionDetails>(id, ct);
                if (details is null) return Problems.NotFound("Aucune session avec cet identifiant.");
                var user = CurrentUser.From(http.User);
                if (!user.IsCoordinatorOrAdmin && details.Trainers.All(t => t.UserId != user.UserId))
                    return Problems.Forbidden("La liste des participants est réservée aux formateurs et aux coordinateurs.");
                http.Response.SetETag(details.Version);
                return TypedResults.Ok(details);
            }).WithName("GetTrainingSessionRoster").WithSummary("Participants, waiting list, attendance and evaluations (trainers, coordinators).");
        group.MapGet("/registrations/mine", async (HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var me = CurrentUser.From(http.User).UserId;
                var mine = await session.Query<SessionDetails>()
                    .Where(s => s.Registered.Any(p => p.UserId == me) || s.Waitlist.Any(p => p.UserId == me))
                    .OrderBy(s => s.StartsAt).ToListAsync(ct);
                return TypedResults.Ok(mine.Select(s => SessionView.For(s, me)).ToList());
            }).WithName("GetMyTrainingRegistrations").WithSummary("The sessions you are registered or waitlisted for.");
        group.MapGet("/sessions/{id:guid}/certificates/{userId}", Certificates.Render)
            .WithName("GetAttendanceCertificate").WithSummary("Printable attendance certificate in French (the attendee, coordinators).");
        return group;
    }

    private static async Task<Results<Created<SessionView>, ValidationProblem>> Schedule(
        ScheduleSessionRequest request, HttpContext http, IDocumentSession session, TimeProvider time, IOptions<TrainingOptions> options, CancellationToken ct)
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
        var place = validation.Text(request.Place, "place", 300, required: module?.Content.Format is TrainingFormat.InPerson or TrainingFormat.Hybrid);
        var link = validation.Text(request.Link, "link", 500, required: module?.Content.Format is TrainingFormat.Remote or TrainingFormat.Hybrid);
        if (link is not null && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            validation.Add("link", "Le lien doit être une adresse https://.");
        var trainers = (request.Trainers ?? []).Select((t, i) =>
        {
            var name = validation.Text(t.Name, $"trainers[{i}].name", 200, required: true);
            if (t.Network is null) validation.Add($"trainers[{i}].network", "Précisez le réseau du formateur : aniscg ou franceVictimes (ou partners).");
            return new Trainer(name ?? "", t.Network ?? Network.Partners, string.IsNullOrWhiteSpace(t.UserId) ? null : t.UserId.Trim());
        }).ToList();
        // A joint training: at least one trainer from each network of the agreement.
        if (!trainers.Any(t => t.Network == Network.Aniscg) || !trainers.Any(t => t.Network == Network.FranceVictimes))
            validation.Add("trainers", "Une formation conjointe a au moins un formateur de chaque réseau (ANISCG et France Victimes).");
        if (!validation.IsValid) return Problems.Invalid(validation.Errors);

        var id = Guid.CreateVersion7();
        var by = CurrentUser.From(http.User).UserId;
        // Stored in UTC (clients send Paris time with its offset); shown back in Paris time.
        var startsAt = request.StartsAt!.Value.ToUniversalTime();
        var endsAt = request.EndsAt!.Value.ToUniversalTime();
        var closes = startsAt - options.Value.RegistrationClosesBefore;
        List<object> events =
        [
            new SessionScheduled(id, module!.Id, module.Version, module.Content.Title, module.Content.Audience, module.Content.DurationMinutes,
                startsAt, endsAt, place, link, request.Departement!, trainers, request.Capacity!.Value,
                closes < now ? now : closes, by, now),
        ];
        if (request.OpenRegistration ?? true) events.Add(new RegistrationOpened(id, by, now));
        session.Events.StartStream<TrainingSession>(id, events);
        await session.SaveChangesAsync(ct);
        var details = (await session.LoadAsync<SessionDetails>(id, ct))!;
        http.Response.SetETag(details.Version);
        return TypedResults.Created($"/api/training/sessions/{id}", SessionView.For(details, by));
    }

    private static Task<Results<NoContent, ValidationProblem>> RegisterSelf(
        Guid id, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        if (SessionDecisions.NetworkOf(user.Role) is not { } network || user.OrganisationId is not { } organisation)
            throw new AccessDenied("Seuls les professionnels d'une organisation s'inscrivent eux-mêmes ; un coordinateur inscrit quelqu'un « pour le compte de ».");
        var participant = new Participant(user.UserId, http.User.FindFirst(CoordinationClaims.Name)?.Value ?? user.UserId, organisation, network);
        return Retrying(id, session, s => SessionDecisions.Register(s, participant, user.UserId, time.GetUtcNow()), http, ct);
    }

    private static async Task<Results<NoContent, ValidationProblem>> RegisterOnBehalf(
        Guid id, RegisterOnBehalfRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var validation = new TrainingValidation();
        var userId = validation.Text(request.UserId, "userId", 200, required: true);
        var name = validation.Text(request.Name, "name", 200, required: true);
        if (request.OrganisationId is null) validation.Add("organisationId", "Précisez l'organisation de la personne.");
        if (request.Network is null) validation.Add("network", "Précisez son réseau : aniscg, franceVictimes ou partners.");
        if (!validation.IsValid) return Problems.Invalid(validation.Errors);
        var participant = new Participant(userId!, name!, request.OrganisationId!.Value, request.Network!.Value);
        return await Retrying(id, session, s => SessionDecisions.Register(s, participant, CurrentUser.From(http.User).UserId, time.GetUtcNow()), http, ct);
    }

    /// <summary>
    /// Registrations need no If-Match (the caller edits nothing they read), but they race for places: on a concurrent
    /// write the decision is taken again on the newer state, so of two people racing for the last place exactly one
    /// gets it and the other goes to the waiting list.
    /// </summary>
    private static async Task<Results<NoContent, ValidationProblem>> Retrying(
        Guid id, IDocumentSession session, Func<TrainingSession, IReadOnlyList<object>> decide, HttpContext http, CancellationToken ct)
    {
        var store = session.DocumentStore;
        for (var attempt = 0; ; attempt++)
        {
            await using var attemptSession = store.LightweightSession();
            attemptSession.LastModifiedBy = CurrentUser.From(http.User).UserId;
            attemptSession.CorrelationId = CorrelationIds.Current(http);
            var stream = await attemptSession.Events.FetchForWriting<TrainingSession>(id, ct);
            if (stream.Aggregate is null) throw new ResourceNotFound("Aucune session avec cet identifiant.");
            stream.AppendMany(decide(stream.Aggregate));
            try
            {
                await attemptSession.SaveChangesAsync(ct);
                http.Response.SetETag((stream.CurrentVersion ?? 0) + stream.Events.Count);
                return TypedResults.NoContent();
            }
            catch (ConcurrencyException) when (attempt < 5)
            {
            }
        }
    }

    private static async Task<Results<NoContent, ValidationProblem>> Update(
        Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session, Func<TrainingSession, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var version = await session.GetAndUpdate<TrainingSession>(id, expected, decide, ct);
        http.Response.SetETag(version);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<List<SessionView>>, ValidationProblem>> UpcomingSessions(
        HttpContext http, IQuerySession session, TimeProvider time, CancellationToken ct,
        string? departement = null, DateTimeOffset? from = null, DateTimeOffset? to = null, string? audience = null)
    {
        if (departement is not null && !Vocabularies.Departements.ContainsKey(departement))
            return Problems.Invalid(new Dictionary<string, string[]> { ["departement"] = ["Ce n'est pas un code de département INSEE."] });
        if (!QueryValues.TryParseEnum<Audience>(audience, out var audienceFilter))
            return Problems.Invalid(new Dictionary<string, string[]> { ["audience"] = [$"Public inconnu : {QueryValues.Allowed<Audience>()}."] });
        var since = from ?? time.GetUtcNow();
        IQueryable<SessionDetails> query = session.Query<SessionDetails>().Where(s => s.StartsAt >= since && s.Status != SessionStatus.Cancelled);
        if (to is not null) query = query.Where(s => s.StartsAt < to);
        if (departement is not null) query = query.Where(s => s.Departement == departement);
        if (audienceFilter is not null) query = query.Where(s => s.Audience == audienceFilter || s.Audience == Audience.Both);
        var me = CurrentUser.From(http.User).UserId;
        return TypedResults.Ok((await query.OrderBy(s => s.StartsAt).Take(200).ToListAsync(ct)).Select(s => SessionView.For(s, me)).ToList());
    }
}
