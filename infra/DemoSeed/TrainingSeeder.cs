using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordination.DemoSeed;

/// <summary>
/// Seeds training.json through the Training API: the catalogue modules (one revised, one retired), upcoming joint
/// sessions with their registrations (one full with a waiting list, one cancelled), and joint interventions.
/// <para>
/// The Training API creates its ids itself, so a re-run recognises what is there by content: a module by its title (its
/// revision and retirement are still given if they are missing), a session by its module and start (its missing
/// registrations and its cancellation are still given), an intervention by its date, département and description.
/// Dates are relative to the run (sessions in a coming week, interventions in a past month) and computed from the
/// current week or month, so a re-run the same week or month finds them; a later run adds a new series.
/// </para>
/// <para>
/// Past sessions (attended, evaluated, closed) cannot be seeded: the API schedules sessions only in the future, and
/// takes attendance and evaluations only once a session has started. The demo shows upcoming sessions, a full one with
/// a waiting list and a cancelled one; sessions seeded weeks earlier become past ones in time.
/// </para>
/// </summary>
public sealed class TrainingSeeder(
    GatewayClient gateway, DemoTokens tokens, TrainingSeed seed, IReadOnlyList<AccountSeed> accounts, TimeSpan waitForOrganisations,
    TextWriter log, TextWriter error)
{
    private static readonly TimeSpan WaitStep = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, AccountSeed> accountsByName = accounts.ToDictionary(a => a.Username, StringComparer.Ordinal);
    private readonly Stopwatch waited = new();

    public int ModulesCreated { get; private set; }
    public int SessionsCreated { get; private set; }
    public int InterventionsCreated { get; private set; }
    public int AlreadyPresent { get; private set; }
    public int Failed { get; private set; }

    /// <summary>True once the Training API answered: from then on the summary means something.</summary>
    public bool Started { get; private set; }

    /// <summary>Seeds everything; refusals are reported on <c>error</c> and counted, never thrown.</summary>
    public async Task SeedAsync(DateTimeOffset now, CancellationToken ct)
    {
        string coordinator;
        List<ExistingModule> catalogue;
        try
        {
            coordinator = await TokenAsync(seed.Coordinator, "training", ct);
            catalogue = await ReadAsync<ExistingModule>("api/training/modules?includeRetired=true", coordinator, "the training catalogue", ct);
        }
        catch (TrainingStepFailed e)
        {
            Fail(e.Message);
            return;
        }
        Started = true;

        var moduleIds = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var existingModules = catalogue.GroupBy(m => m.Content.Title.Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(m => m.Retired).First(), StringComparer.Ordinal);
        foreach (var module in seed.Modules)
        {
            try { moduleIds[module.Title.Trim()] = await SeedModuleAsync(module, existingModules, coordinator, ct); }
            catch (TrainingStepFailed e) { Fail(e.Message); }
        }

        var today = TrainingCalendar.ParisToday(now);
        try
        {
            var existingSessions = await ExistingSessionsAsync(coordinator, ct);
            foreach (var session in seed.Sessions)
            {
                try { await SeedSessionAsync(session, today, moduleIds, existingSessions, coordinator, ct); }
                catch (TrainingStepFailed e) { Fail(e.Message); }
            }
        }
        catch (TrainingStepFailed e)
        {
            Fail($"{e.Message} No session seeded.");
        }

        try
        {
            var existing = (await ReadAsync<ExistingIntervention>("api/training/interventions", coordinator, "the joint interventions", ct))
                .Select(i => (i.Date, i.Departement, i.Description.Trim())).ToHashSet();
            foreach (var intervention in seed.Interventions)
            {
                try { await SeedInterventionAsync(intervention, today, existing, ct); }
                catch (TrainingStepFailed e) { Fail(e.Message); }
            }
        }
        catch (TrainingStepFailed e)
        {
            Fail($"{e.Message} No intervention seeded.");
        }
    }

    private async Task<Guid> SeedModuleAsync(ModuleSeed module, Dictionary<string, ExistingModule> existing, string coordinator, CancellationToken ct)
    {
        var label = $"training module '{module.Title}'";
        Guid id;
        int version;
        bool retired;
        string? etag = null;
        if (existing.TryGetValue(module.Title.Trim(), out var found))
        {
            AlreadyPresent++;
            (id, version, retired) = (found.Id, found.Version, found.Retired);
        }
        else
        {
            var response = await SendAsync(HttpMethod.Post, "api/training/modules", coordinator, Body(module.ToRequest()), null, $"creation of {label}", ct);
            if (response.StatusCode != 201)
                throw Refused(label, $"POST /api/training/modules as {seed.Coordinator}", response);
            id = IdOf(response, label);
            etag = response.ETag ?? throw new TrainingStepFailed($"{label}: the creation answered 201 without an ETag.");
            (version, retired) = (1, false);
            ModulesCreated++;
        }

        // Given again on a re-run if a previous run stopped before them.
        if (module.RevisedRequest() is { } revised && version == 1 && !retired)
        {
            etag ??= await ModuleETagAsync(id, coordinator, label, ct);
            var response = await SendAsync(HttpMethod.Put, $"api/training/modules/{id}", coordinator, Body(revised), etag, $"revision of {label}", ct);
            if (response.StatusCode != 204)
                throw Refused(label, $"PUT /api/training/modules/{id} (If-Match: {etag})", response);
            etag = response.ETag;
        }
        if (module.RetirementReason is { } reason && !retired)
        {
            etag ??= await ModuleETagAsync(id, coordinator, label, ct);
            var body = new JsonObject { ["reason"] = reason }.ToJsonString();
            var response = await SendAsync(HttpMethod.Post, $"api/training/modules/{id}/retirement", coordinator, body, etag, $"retirement of {label}", ct);
            if (response.StatusCode != 204)
                throw Refused(label, $"POST /api/training/modules/{id}/retirement (If-Match: {etag})", response);
        }
        return id;
    }

    private async Task<string> ModuleETagAsync(Guid id, string coordinator, string label, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, $"api/training/modules/{id}", coordinator, null, null, $"reading {label}", ct);
        return response is { StatusCode: 200, ETag: { } etag } ? etag : throw Refused(label, $"GET /api/training/modules/{id}", response);
    }

    /// <summary>
    /// The sessions already there, by module and start. The list leaves out cancelled sessions: those are found among the
    /// registrations of the accounts registered to the seeded cancelled sessions (the data file makes sure there is one).
    /// </summary>
    private async Task<Dictionary<(Guid, DateTimeOffset), ExistingSession>> ExistingSessionsAsync(string coordinator, CancellationToken ct)
    {
        var sessions = await ReadAsync<ExistingSession>("api/training/sessions?from=2000-01-01T00:00:00Z", coordinator, "the training sessions", ct);
        foreach (var username in seed.Sessions.Where(s => s.CancellationReason is not null)
                     .SelectMany(s => s.RegistrationsOrNone.Select(r => r.Account)).Distinct())
        {
            var token = await TokenAsync(username, "training sessions", ct);
            sessions.AddRange(await ReadAsync<ExistingSession>("api/training/registrations/mine", token, $"the training registrations of {username}", ct));
        }
        var existing = new Dictionary<(Guid, DateTimeOffset), ExistingSession>();
        foreach (var session in sessions)
            existing.TryAdd((session.ModuleId, session.StartsAt.ToUniversalTime()), session);
        return existing;
    }

    private async Task SeedSessionAsync(
        SessionSeed session, DateOnly today, Dictionary<string, Guid> moduleIds, Dictionary<(Guid, DateTimeOffset), ExistingSession> existing,
        string coordinator, CancellationToken ct)
    {
        var day = TrainingCalendar.SessionDay(today, session.WeeksAhead, session.Day);
        TrainingCalendar.TryParseTime(session.StartTime, out var start);
        TrainingCalendar.TryParseTime(session.EndTime, out var end);
        var startsAt = TrainingCalendar.AtParis(day, start);
        var label = $"training session '{session.Module}' of {startsAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} ({session.Departement})";
        if (!moduleIds.TryGetValue(session.Module.Trim(), out var moduleId))
            throw new TrainingStepFailed($"{label}: not scheduled, its module could not be seeded (see above).");

        Guid id;
        var registered = new HashSet<string>(StringComparer.Ordinal);
        bool created;
        if (existing.TryGetValue((moduleId, startsAt.ToUniversalTime()), out var found))
        {
            AlreadyPresent++;
            if (found.Status == "cancelled") return;
            id = found.Id;
            created = false;
            var roster = await SendAsync(HttpMethod.Get, $"api/training/sessions/{id}/roster", coordinator, null, null, $"reading the roster of {label}", ct);
            if (roster.StatusCode != 200) throw Refused(label, $"GET /api/training/sessions/{id}/roster", roster);
            var people = Parse<ExistingRoster>(roster, label);
            registered.UnionWith(people.Registered.Concat(people.Waitlist).Select(p => p.UserId));
        }
        else
        {
            var body = new SessionBody(moduleId, startsAt, TrainingCalendar.AtParis(day, end), session.Place, session.Link, session.Departement,
                session.Trainers, session.Capacity, session.OpenRegistration);
            var response = await SendAsync(HttpMethod.Post, "api/training/sessions", coordinator, Body(body), null, $"scheduling of {label}", ct);
            if (response.StatusCode != 201)
                throw Refused(label, $"POST /api/training/sessions as {seed.Coordinator}", response);
            id = IdOf(response, label);
            created = true;
            SessionsCreated++;
        }

        // In order: past the capacity, the API puts people on the waiting list.
        foreach (var registration in session.RegistrationsOrNone)
        {
            var account = accountsByName[registration.Account]; // checked when the file was loaded
            if (registered.Contains(account.UserId)) continue;
            ApiResponse response;
            string request;
            if (registration.OnBehalf)
            {
                var body = new OnBehalfBody(account.UserId, account.Name, account.OrganisationId!.Value, TrainingSeedData.NetworkOf(account.Role)!.Value);
                request = $"POST /api/training/sessions/{id}/registrations/on-behalf as {seed.Coordinator} for {account.Username}";
                response = await SendAsync(HttpMethod.Post, $"api/training/sessions/{id}/registrations/on-behalf", coordinator, Body(body), null,
                    $"registration of {account.Username} to {label}", ct);
            }
            else
            {
                request = $"POST /api/training/sessions/{id}/registrations as {account.Username}";
                var token = await TokenAsync(account.Username, label, ct);
                response = await SendAsync(HttpMethod.Post, $"api/training/sessions/{id}/registrations", token, "{}", null,
                    $"registration of {account.Username} to {label}", ct);
            }
            if (response.StatusCode != 204) throw Refused(label, request, response);
        }

        if (session.CancellationReason is { } reason)
        {
            var current = await SendAsync(HttpMethod.Get, $"api/training/sessions/{id}", coordinator, null, null, $"reading {label}", ct);
            if (current is not { StatusCode: 200, ETag: { } etag }) throw Refused(label, $"GET /api/training/sessions/{id}", current);
            var body = new JsonObject { ["reason"] = reason }.ToJsonString();
            var response = await SendAsync(HttpMethod.Post, $"api/training/sessions/{id}/cancellation", coordinator, body, etag, $"cancellation of {label}", ct);
            if (response.StatusCode != 204)
                throw Refused(label, $"POST /api/training/sessions/{id}/cancellation (If-Match: {etag})", response);
        }

        if (created) await CheckSessionAsync(id, session, coordinator, label, ct);
    }

    /// <summary>A session just seeded ends with the places, waiting list and status its data promise.</summary>
    private async Task CheckSessionAsync(Guid id, SessionSeed session, string coordinator, string label, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, $"api/training/sessions/{id}", coordinator, null, null, $"reading {label}", ct);
        if (response.StatusCode != 200) throw Refused(label, $"GET /api/training/sessions/{id}", response);
        var seen = Parse<ExistingSession>(response, label);
        var count = session.RegistrationsOrNone.Count;
        var expected = (Registered: Math.Min(count, session.Capacity), Waitlisted: Math.Max(0, count - session.Capacity),
            Status: session.CancellationReason is not null ? "cancelled"
                : !session.OpenRegistration ? "scheduled"
                : count >= session.Capacity ? "full" : "registrationOpen");
        if ((seen.Registered, seen.Waitlisted, seen.Status) != expected)
            throw new TrainingStepFailed($"{label}: ends {seen.Status} with {seen.Registered} registered and {seen.Waitlisted} waitlisted, " +
                $"instead of {expected.Status} with {expected.Registered} and {expected.Waitlisted}.");
    }

    private async Task SeedInterventionAsync(
        InterventionSeed intervention, DateOnly today, HashSet<(string, string, string)> existing, CancellationToken ct)
    {
        var date = TrainingCalendar.InterventionDate(today, intervention.MonthsAgo, intervention.Day);
        var request = intervention.ToRequest(date);
        var label = $"joint intervention of {request.Date} in {intervention.Departement} ({JsonNamingPolicy.CamelCase.ConvertName(intervention.Kind.ToString())})";
        if (existing.Contains((request.Date, request.Departement, request.Description.Trim())))
        {
            AlreadyPresent++;
            return;
        }

        var token = await TokenAsync(intervention.RecordedBy, label, ct);
        var body = Body(request);
        while (true)
        {
            var response = await SendAsync(HttpMethod.Post, "api/training/interventions", token, body, null, $"recording of {label}", ct);
            if (response.StatusCode == 201)
            {
                InterventionsCreated++;
                existing.Add((request.Date, request.Departement, request.Description.Trim()));
                return;
            }
            // Training learns the organisations from the Directory's events (RabbitMQ), asynchronously: on a fresh platform it
            // may not know them yet. The data file was checked (known organisations, both networks), so wait, within one
            // budget for the whole run.
            if (response.StatusCode == 400 && OnlyOrganisationsRefused(response.Body) && waited.Elapsed < waitForOrganisations)
            {
                if (!waited.IsRunning && waited.Elapsed == TimeSpan.Zero)
                    log.WriteLine($"Training does not know the organisations of the {label} yet; " +
                        $"waiting up to {waitForOrganisations.TotalSeconds:0} s for the Directory's events…");
                waited.Start();
                await Task.Delay(WaitStep, ct);
                waited.Stop();
                continue;
            }
            throw Refused(label, $"POST /api/training/interventions as {intervention.RecordedBy}", response);
        }
    }

    private async Task<List<T>> ReadAsync<T>(string relativeUrl, string token, string what, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, relativeUrl, token, null, null, $"reading {what}", ct);
        if (response.StatusCode == 404)
            throw new TrainingStepFailed($"reading {what}: GET /{relativeUrl} answered 404: is the Training service behind the gateway?");
        if (response.StatusCode != 200)
            throw Refused($"reading {what}", $"GET /{relativeUrl}", response);
        return Parse<List<T>>(response, $"reading {what}");
    }

    private Task<ApiResponse> SendAsync(
        HttpMethod method, string relativeUrl, string token, string? body, string? ifMatch, string what, CancellationToken ct) =>
        gateway.SendAsync(method, relativeUrl, token, body, ifMatch, what, ct);

    private Task<string> TokenAsync(string username, string label, CancellationToken ct) =>
        tokens.ForStepAsync(username, label, message => new TrainingStepFailed(message), ct);

    private static string Body<T>(T request) => JsonSerializer.Serialize(request, SeedData.Json);

    private static T Parse<T>(ApiResponse response, string label) where T : class =>
        GatewayClient.Read<T>(response, label, message => new TrainingStepFailed(message));

    private static Guid IdOf(ApiResponse response, string label) =>
        Parse<Created>(response, label).Id is { } id && id != Guid.Empty
            ? id
            : throw new TrainingStepFailed($"{label}: the creation answered without an id:{Environment.NewLine}  {GatewayClient.Shorten(response.Body)}");

    /// <summary>400 whose only complaint is the organisations (unknown to Training yet).</summary>
    private static bool OnlyOrganisationsRefused(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["errors"] is JsonObject errors && errors.Count == 1 && errors.ContainsKey("organisationIds");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Fail(string message)
    {
        Failed++;
        error.WriteLine($"DemoSeed: {message}");
    }

    private static TrainingStepFailed Refused(string label, string request, ApiResponse response) =>
        new($"{label}: {request} was refused: HTTP {response.StatusCode}" +
            (response.Body.Length > 0 ? $"{Environment.NewLine}  {GatewayClient.Shorten(response.Body)}" : ""));

    private sealed record Created(Guid? Id);

    private sealed record ExistingModule(Guid Id, int Version, bool Retired, ExistingModuleContent Content);

    private sealed record ExistingModuleContent(string Title);

    private sealed record ExistingSession(Guid Id, Guid ModuleId, DateTimeOffset StartsAt, string Status, int Registered, int Waitlisted);

    private sealed record ExistingRoster(IReadOnlyList<ExistingParticipant> Registered, IReadOnlyList<ExistingParticipant> Waitlist);

    private sealed record ExistingParticipant(string UserId);

    private sealed record ExistingIntervention(string Date, string Departement, string Description);

    private sealed class TrainingStepFailed(string message) : Exception(message);
}
