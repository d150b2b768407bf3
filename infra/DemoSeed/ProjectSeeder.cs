using System.Text.Json;

namespace Coordination.DemoSeed;

/// <summary>
/// Seeds projects.json through the Projects API: each project with its partners, its funding plan and the funders'
/// decisions, its milestones (some done, some overdue, some ahead), its stages walked forward one at a time (or
/// abandoned), then its support requests with the coordinator's answers (and closing).
/// <para>
/// The Projects API creates its ids itself, so a re-run recognises a project by its title and leaves it as it is: its
/// steps and support requests are not replayed. A project whose seeding stopped half-way (an interrupted run, a refusal)
/// stays as it is; delete it (or reset the platform's data) to seed it again.
/// </para>
/// <para>
/// Every change of a project or a support request carries <c>If-Match</c> with the latest <c>ETag</c> (each answer
/// gives the next one). Dates are those of the file moved to the current month (see <see cref="ProjectCalendar"/>);
/// milestones are marked done on the day of the run, the API's default.
/// </para>
/// </summary>
public sealed class ProjectSeeder(GatewayClient gateway, DemoTokens tokens, ProjectsSeed seed, TextWriter error)
{

    public int ProjectsCreated { get; private set; }
    public int AlreadyPresent { get; private set; }
    public int SupportRequestsCreated { get; private set; }
    public int Failed { get; private set; }

    /// <summary>True once the Projects API answered: from then on the summary means something.</summary>
    public bool Started { get; private set; }

    /// <summary>Seeds everything; refusals are reported on <c>error</c> and counted, never thrown.</summary>
    public async Task SeedAsync(DateTimeOffset now, CancellationToken ct)
    {
        string coordinator;
        HashSet<string> existing;
        try
        {
            coordinator = await TokenAsync(seed.Coordinator, "projects", ct);
            var response = await SendAsync(HttpMethod.Get, "api/projects", coordinator, null, null, "reading the projects", ct);
            if (response.StatusCode == 404)
                throw new ProjectStepFailed("reading the projects: GET /api/projects answered 404: is the Projects service behind the gateway?");
            if (response.StatusCode != 200)
                throw Refused("reading the projects", "GET /api/projects", response);
            existing = Parse<List<ProjectView>>(response, "reading the projects")
                .Select(v => v.Project?.Title?.Trim()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        }
        catch (ProjectStepFailed e)
        {
            Fail($"{e.Message} No project seeded.");
            return;
        }
        Started = true;

        var calendar = ProjectCalendar.For(seed.DatesAsOf, TrainingCalendar.ParisToday(now));
        foreach (var project in seed.Projects)
        {
            if (existing.Contains(project.Title.Trim()))
            {
                AlreadyPresent++;
                continue;
            }
            try
            {
                var id = await SeedProjectAsync(project, calendar, ct);
                existing.Add(project.Title.Trim());
                foreach (var (request, number) in project.SupportRequestsOrNone.Select((r, i) => (r, i + 1)))
                {
                    try { await SeedSupportRequestAsync(id, project, request, number, coordinator, ct); }
                    catch (ProjectStepFailed e) { Fail(e.Message); }
                }
            }
            catch (ProjectStepFailed e)
            {
                Fail(e.Message);
            }
        }
    }

    /// <summary>Creates the project and plays its steps; the project's id.</summary>
    private async Task<Guid> SeedProjectAsync(ProjectSeed project, ProjectCalendar calendar, CancellationToken ct)
    {
        var label = $"project '{project.Title}'";
        var token = await TokenAsync(project.By, label, ct);

        var body = new CreateProjectBody(project.Title, project.Type, project.Departements, project.LeadOrganisationId, project.Description,
            project.Budget, calendar.Shift(project.TargetStart), calendar.Shift(project.TargetEnd));
        var created = await SendAsync(HttpMethod.Post, "api/projects", token, Body(body), null, $"creation of {label}", ct);
        if (created.StatusCode != 201)
            throw Refused(label, $"POST /api/projects as {project.By}", created);
        var id = Parse<ProjectView>(created, label).Project?.Id is { } newId && newId != Guid.Empty
            ? newId
            : throw new ProjectStepFailed($"{label}: the creation answered without a project id:{Environment.NewLine}  {GatewayClient.Shorten(created.Body)}");
        var state = new Progress(id, label, token, project.By,
            created.ETag ?? throw new ProjectStepFailed($"{label}: the creation answered 201 without an ETag."));
        ProjectsCreated++;

        foreach (var partner in project.PartnersOrNone)
            await ChangeAsync(state, "partners", new PartnerBody(partner.OrganisationId, partner.Role, partner.Signatory),
                $"partner {partner.OrganisationId}", ct);

        foreach (var line in project.FundingOrNone)
            await ChangeAsync(state, "funding-lines", new FundingLineBody(line.Funder, line.FunderName, line.AmountRequested,
                calendar.ShiftYear(line.FromYear), calendar.ShiftYear(line.ToYear)), $"funding line {Camel(line.Funder)}", ct);
        if (project.FundingOrNone.Any(l => l.Decision is not null))
        {
            // A new project: its lines are those just added, in order.
            var funding = (await ReadAsync(state, ct)).Funding ?? [];
            if (funding.Count != project.FundingOrNone.Count)
                throw new ProjectStepFailed($"{label}: {funding.Count} funding lines read back instead of {project.FundingOrNone.Count}.");
            foreach (var (line, added) in project.FundingOrNone.Zip(funding))
            {
                if (line.Decision is not { } decision) continue;
                await ChangeAsync(state, $"funding-lines/{added.LineId}/decision",
                    new FundingDecisionBody(decision, line.AmountGranted, calendar.Shift(line.DecisionDate!.Value), line.Justification),
                    $"{Camel(decision)} decision on the funding line {Camel(line.Funder)}", ct);
            }
        }

        foreach (var milestone in project.MilestonesOrNone)
            await ChangeAsync(state, "milestones", new MilestoneBody(milestone.Title, calendar.Shift(milestone.DueDate)),
                $"milestone '{milestone.Title}'", ct);
        if (project.MilestonesOrNone.Any(m => m.Completed))
        {
            var milestones = (await ReadAsync(state, ct)).Milestones ?? [];
            foreach (var milestone in project.MilestonesOrNone.Where(m => m.Completed))
            {
                var added = milestones.LastOrDefault(m => string.Equals(m.Title?.Trim(), milestone.Title.Trim(), StringComparison.Ordinal))
                    ?? throw new ProjectStepFailed($"{label}: the milestone '{milestone.Title}' is not read back.");
                await ChangeAsync(state, $"milestones/{added.MilestoneId}/completion", new { }, $"completion of the milestone '{milestone.Title}'", ct);
            }
        }

        // Forward one stage at a time (the API's rule), then abandoned if so.
        for (var stage = ProjectStage.Idea + 1; stage <= project.LastForwardStage; stage++)
            await ChangeAsync(state, "stage", new StageBody(stage, null, stage == ProjectStage.Launched ? calendar.Shift(project.StartDate) : null),
                $"move to the stage {Camel(stage)}", ct);
        if (project.Abandonment is { } abandonment)
            await ChangeAsync(state, "stage", new StageBody(ProjectStage.Abandoned, abandonment.Reason, null), "abandonment", ct);

        var seen = await ReadAsync(state, ct);
        var expected = (Stage: Camel(project.Stage), Lines: project.FundingOrNone.Count, Milestones: project.MilestonesOrNone.Count,
            Done: project.MilestonesOrNone.Count(m => m.Completed));
        var actual = (Stage: seen.Stage ?? "?", Lines: seen.Funding?.Count ?? 0, Milestones: seen.Milestones?.Count ?? 0,
            Done: seen.Milestones?.Count(m => m.CompletedOn is not null) ?? 0);
        if (actual != expected)
            throw new ProjectStepFailed($"{label}: ends at the stage {actual.Stage} with {actual.Lines} funding lines and {actual.Done}/{actual.Milestones} " +
                $"milestones done, instead of {expected.Stage} with {expected.Lines} and {expected.Done}/{expected.Milestones}.");
        return id;
    }

    private async Task SeedSupportRequestAsync(
        Guid projectId, ProjectSeed project, SupportRequestSeed request, int number, string coordinator, CancellationToken ct)
    {
        var label = $"support request #{number} ({Camel(request.Kind)}) of the project '{project.Title}'";
        var token = await TokenAsync(request.By, label, ct);
        var response = await SendAsync(HttpMethod.Post, $"api/projects/{projectId}/support-requests", token,
            Body(new SupportRequestBody(request.Kind, request.Message)), null, $"opening of the {label}", ct);
        if (response.StatusCode != 201)
            throw Refused(label, $"POST /api/projects/{projectId}/support-requests as {request.By}", response);
        var id = Parse<CreatedRequest>(response, label).Id is { } newId && newId != Guid.Empty
            ? newId
            : throw new ProjectStepFailed($"{label}: the opening answered without an id:{Environment.NewLine}  {GatewayClient.Shorten(response.Body)}");
        SupportRequestsCreated++;

        var etag = response.ETag;
        foreach (var answer in request.AnswersOrNone)
            etag = await ChangeRequestAsync(id, "messages", Body(new SupportMessageBody(answer)), etag, coordinator, label, "answer", ct);
        if (request.Closed)
            await ChangeRequestAsync(id, "closing", "{}", etag, coordinator, label, "closing", ct);
    }

    /// <summary>One change of a support request by the coordinator, with If-Match; the next ETag (null: read it again next time).</summary>
    private async Task<string?> ChangeRequestAsync(
        Guid id, string action, string body, string? etag, string coordinator, string label, string what, CancellationToken ct)
    {
        var url = $"api/projects/support-requests/{id}";
        if (etag is null)
        {
            var current = await SendAsync(HttpMethod.Get, url, coordinator, null, null, $"reading the {label}", ct);
            etag = current is { StatusCode: 200, ETag: { } read } ? read : throw Refused(label, $"GET /{url}", current);
        }
        var response = await SendAsync(HttpMethod.Post, $"{url}/{action}", coordinator, body, etag, $"{what} of the {label}", ct);
        if (response.StatusCode != 204)
            throw Refused(label, $"POST /{url}/{action} as {seed.Coordinator} (If-Match: {etag})", response);
        return response.ETag;
    }

    /// <summary>One change of the project, with If-Match: the latest ETag, replaced by the answer's.</summary>
    private async Task ChangeAsync(Progress state, string action, object request, string what, CancellationToken ct)
    {
        var url = $"api/projects/{state.Id}/{action}";
        var etag = state.ETag ?? await ETagAsync(state, ct);
        var response = await SendAsync(HttpMethod.Post, url, state.Token, Body(request), etag, $"{what} of {state.Label}", ct);
        // Projects learns the organisations from the Directory's events (RabbitMQ), asynchronously: on a fresh platform it may
        // not know a partner yet. The data file was checked (known organisations), so wait, within one budget for the whole run.
        while (response.StatusCode == 400 && action == "partners" && OnlyPartnerRefused(response.Body) && waitedForPartners.Elapsed < PartnersBudget)
        {
            waitedForPartners.Start();
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            waitedForPartners.Stop();
            response = await SendAsync(HttpMethod.Post, url, state.Token, Body(request), etag, $"{what} of {state.Label}", ct);
        }
        if (response.StatusCode != 204)
            throw Refused($"{state.Label}, {what}", $"POST /{url} as {state.By} (If-Match: {etag})", response);
        state.ETag = response.ETag;
    }

    private static readonly TimeSpan PartnersBudget = TimeSpan.FromSeconds(60);
    private readonly System.Diagnostics.Stopwatch waitedForPartners = new();

    /// <summary>400 whose only complaint is the partner organisation (unknown to Projects yet).</summary>
    private static bool OnlyPartnerRefused(string body)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(body)?["errors"] is System.Text.Json.Nodes.JsonObject errors
                && errors.Count == 1 && errors.ContainsKey("organisationId");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task<ExistingProject> ReadAsync(Progress state, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, $"api/projects/{state.Id}", state.Token, null, null, $"reading {state.Label}", ct);
        if (response.StatusCode != 200) throw Refused(state.Label, $"GET /api/projects/{state.Id}", response);
        state.ETag = response.ETag;
        return Parse<ProjectView>(response, state.Label).Project
            ?? throw new ProjectStepFailed($"{state.Label}: GET /api/projects/{state.Id} answered without a project.");
    }

    private async Task<string> ETagAsync(Progress state, CancellationToken ct)
    {
        await ReadAsync(state, ct);
        return state.ETag ?? throw new ProjectStepFailed($"{state.Label}: GET /api/projects/{state.Id} answered without an ETag.");
    }

    private Task<ApiResponse> SendAsync(
        HttpMethod method, string relativeUrl, string token, string? body, string? ifMatch, string what, CancellationToken ct) =>
        gateway.SendAsync(method, relativeUrl, token, body, ifMatch, what, ct);

    private Task<string> TokenAsync(string username, string label, CancellationToken ct) =>
        tokens.ForStepAsync(username, label, message => new ProjectStepFailed(message), ct);

    private static string Body<T>(T request) => JsonSerializer.Serialize(request, SeedData.Json);

    private static T Parse<T>(ApiResponse response, string label) where T : class =>
        GatewayClient.Read<T>(response, label, message => new ProjectStepFailed(message));

    private static string Camel<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private void Fail(string message)
    {
        Failed++;
        error.WriteLine($"DemoSeed: {message}");
    }

    private static ProjectStepFailed Refused(string label, string request, ApiResponse response) =>
        new($"{label}: {request} was refused: HTTP {response.StatusCode}" +
            (response.Body.Length > 0 ? $"{Environment.NewLine}  {GatewayClient.Shorten(response.Body)}" : ""));

    /// <summary>A project being seeded: who changes it, and its latest ETag (null: read it again before the next change).</summary>
    private sealed class Progress(Guid id, string label, string token, string by, string? etag)
    {
        public Guid Id { get; } = id;
        public string Label { get; } = label;
        public string Token { get; } = token;
        public string By { get; } = by;
        public string? ETag { get; set; } = etag;
    }

    private sealed record ProjectView(ExistingProject? Project);

    private sealed record ExistingProject(
        Guid Id, string? Title, string? Stage, IReadOnlyList<ExistingLine>? Funding, IReadOnlyList<ExistingMilestone>? Milestones);

    private sealed record ExistingLine(Guid LineId);

    private sealed record ExistingMilestone(Guid MilestoneId, string? Title, DateOnly? CompletedOn);

    private sealed record CreatedRequest(Guid? Id);

    private sealed class ProjectStepFailed(string message) : Exception(message);
}
