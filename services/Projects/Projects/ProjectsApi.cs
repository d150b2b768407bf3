using System.Security.Cryptography;
using Coordination.ReferenceData;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Coordination.Projects.Projects;

public sealed record CreateProjectRequest(
    string? Title, ProjectType? Type, IReadOnlyList<string>? Departements, Guid? LeadOrganisationId, string? Description,
    decimal? Budget, DateOnly? TargetStart, DateOnly? TargetEnd);

public sealed record AddPartnerRequest(Guid? OrganisationId, string? Role, bool? Signatory);

public sealed record ChangeStageRequest(Stage? Stage, string? Reason, DateOnly? StartDate);

public sealed record AddFundingLineRequest(Funder? Funder, string? FunderName, decimal? AmountRequested, int? FromYear, int? ToYear);

public sealed record FundingDecisionRequest(FundingDecision? Decision, decimal? AmountGranted, DateOnly? DecisionDate, string? Justification);

public sealed record AddMilestoneRequest(string? Title, DateOnly? DueDate);

public sealed record CompleteMilestoneRequest(DateOnly? CompletedOn);

/// <summary>A project as listed and read: its state, with the funding totals against the budget.</summary>
public sealed record ProjectView(Project Project, decimal Requested, decimal Granted, decimal Budget, decimal GrantedShareOfBudget, long Version)
{
    public static ProjectView Of(Project p, long version) =>
        new(p, p.Requested, p.Granted, p.Budget, p.Budget == 0 ? 0 : Math.Round(p.Granted / p.Budget, 4), version);
}

public sealed record StoredDocument(Guid Id, Guid ProjectId, string FileName, string ContentType, long Size, string Sha256, byte[] Content);

public sealed record TimelineEntry(long Version, string Event, DateTimeOffset At, string? By);

public static class ProjectsApi
{
    public const long MaxDocumentBytes = 2 * 1024 * 1024;

    /// <summary>Office documents, PDF and images only: stored as bytes, always downloaded, never rendered.</summary>
    public static readonly IReadOnlyDictionary<string, string> AllowedDocumentTypes = new Dictionary<string, string>
    {
        ["application/pdf"] = ".pdf",
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = ".docx",
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = ".xlsx",
        ["application/vnd.oasis.opendocument.text"] = ".odt",
        ["application/vnd.oasis.opendocument.spreadsheet"] = ".ods",
        ["text/csv"] = ".csv",
        ["image/png"] = ".png",
        ["image/jpeg"] = ".jpg",
    };

    public static RouteGroupBuilder MapProjects(this RouteGroupBuilder group)
    {
        group.MapPost("/", Create).WithName("CreateProject").WithSummary("Start a project (its lead organisation's staff, or coordinators).");
        group.MapGet("/", Search).WithName("SearchProjects").WithSummary("Projects by département, type, stage and lead organisation, with funding totals.");
        group.MapGet("/stuck", Stuck).WithName("GetStuckProjects").WithSummary("Projects with no event for a number of days (default 60).");
        group.MapGet("/{id:guid}", async Task<Results<Ok<ProjectView>, ProblemHttpResult>> (Guid id, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var project = await session.LoadAsync<Project>(id, ct);
                if (project is null) return Problems.NotFound("Aucun projet avec cet identifiant.");
                var version = (await session.Events.FetchStreamStateAsync(id, ct))!.Version;
                http.Response.SetETag(version);
                return TypedResults.Ok(ProjectView.Of(project, version));
            }).WithName("GetProject").WithSummary("One project with its funding plan, partners and milestones.");
        group.MapGet("/{id:guid}/timeline", async Task<Results<Ok<List<TimelineEntry>>, ProblemHttpResult>> (Guid id, IQuerySession session, CancellationToken ct) =>
            {
                var events = await session.Events.FetchStreamAsync(id, token: ct);
                return events.Count == 0
                    ? Problems.NotFound("Aucun projet avec cet identifiant.")
                    : TypedResults.Ok(events.Select(e => new TimelineEntry(e.Version, e.EventTypeName, e.Timestamp, e.UserName)).ToList());
            }).WithName("GetProjectTimeline").WithSummary("Every step of a project: what, when, who.");

        group.MapPost("/{id:guid}/partners", async Task<Results<NoContent, ValidationProblem>> (Guid id, AddPartnerRequest r, ExpectedVersion expected,
                HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var v = new Coordination.Projects.ProjectValidation();
                if (r.OrganisationId is null) v.Add("organisationId", "Indiquez l'organisation partenaire.");
                var role = v.Text(r.Role, "role", 200, required: true);
                if (!v.IsValid) return Problems.Invalid(v.Errors);
                return await Change(id, expected, http, session, (p, by) =>
                    [new PartnerAdded(p.Id, new ProjectPartner(r.OrganisationId!.Value, role!, r.Signatory ?? false), by, time.GetUtcNow())], ct);
            }).WithName("AddProjectPartner").WithSummary("Add (or update) a partner and its role; signatories count for the convention (If-Match).");

        group.MapPost("/{id:guid}/stage", async Task<Results<NoContent, ValidationProblem>> (Guid id, ChangeStageRequest r, ExpectedVersion expected,
                HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                if (r.Stage is null)
                    return Problems.Invalid(new Dictionary<string, string[]> { ["stage"] = ["Indiquez l'étape visée."] });
                return await Change(id, expected, http, session, (p, by) => ProjectDecisions.ChangeStage(p, r.Stage.Value, r.Reason?.Trim(), r.StartDate, by, time.GetUtcNow()), ct);
            }).WithName("ChangeProjectStage").WithSummary("Move forward one stage (its prerequisites checked), back with a reason, or abandon with a reason (If-Match).");

        group.MapPost("/{id:guid}/funding-lines", async Task<Results<NoContent, ValidationProblem>> (Guid id, AddFundingLineRequest r, ExpectedVersion expected,
                HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var v = new Coordination.Projects.ProjectValidation();
                if (r.Funder is null) v.Add("funder", "Indiquez le financeur : stateFipd, departement, commune, caf, region, ars, foundation ou other.");
                var name = v.Text(r.FunderName, "funderName", 200, required: r.Funder is Funder.Other or Funder.Foundation);
                v.Money(r.AmountRequested, "amountRequested", required: true);
                if (r.FromYear is not (>= 2000 and <= 2100) || r.ToYear is not { } to || to < r.FromYear || to > r.FromYear + 10)
                    v.Add("fromYear", "Indiquez la période (années de début et de fin, 10 ans au plus).");
                if (!v.IsValid) return Problems.Invalid(v.Errors);
                var line = new FundingLine(Guid.CreateVersion7(), r.Funder!.Value, name, r.AmountRequested!.Value, r.FromYear!.Value, r.ToYear!.Value,
                    FundingDecision.Pending, null, null, null);
                return await Change(id, expected, http, session, (p, by) => [new FundingLineAdded(p.Id, line, by, time.GetUtcNow())], ct);
            }).WithName("AddFundingLine").WithSummary("A line of the funding plan: funder, amount requested (euros), years (If-Match).");

        group.MapPost("/{id:guid}/funding-lines/{lineId:guid}/decision", async Task<Results<NoContent, ValidationProblem>> (Guid id, Guid lineId,
                FundingDecisionRequest r, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var v = new Coordination.Projects.ProjectValidation();
                if (r.Decision is null) v.Add("decision", "Indiquez la décision : pending, granted ou refused.");
                v.Money(r.AmountGranted, "amountGranted", required: false);
                if (r.DecisionDate is null) v.Add("decisionDate", "Indiquez la date de la décision.");
                var justification = v.Text(r.Justification, "justification", 1000, required: false);
                if (!v.IsValid) return Problems.Invalid(v.Errors);
                return await Change(id, expected, http, session, (p, by) =>
                    ProjectDecisions.RecordDecision(p, lineId, r.Decision!.Value, r.AmountGranted, r.DecisionDate!.Value, justification, by, time.GetUtcNow()), ct);
            }).WithName("RecordFundingDecision").WithSummary("The funder's decision; granted more than requested needs a justification (If-Match).");

        group.MapPost("/{id:guid}/milestones", async Task<Results<NoContent, ValidationProblem>> (Guid id, AddMilestoneRequest r, ExpectedVersion expected,
                HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var v = new Coordination.Projects.ProjectValidation();
                var title = v.Text(r.Title, "title", 200, required: true);
                if (r.DueDate is null) v.Add("dueDate", "Indiquez l'échéance.");
                if (!v.IsValid) return Problems.Invalid(v.Errors);
                return await Change(id, expected, http, session, (p, by) =>
                    [new MilestoneAdded(p.Id, new Milestone(Guid.CreateVersion7(), title!, r.DueDate!.Value, null, false), by, time.GetUtcNow())], ct);
            }).WithName("AddMilestone").WithSummary("A milestone with its due date (If-Match).");

        group.MapPost("/{id:guid}/milestones/{milestoneId:guid}/completion", (Guid id, Guid milestoneId, CompleteMilestoneRequest r, ExpectedVersion expected,
                HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
                Change(id, expected, http, session, (p, by) => ProjectDecisions.CompleteMilestone(p, milestoneId,
                    r.CompletedOn ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), by, time.GetUtcNow()), ct))
            .WithName("CompleteMilestone").WithSummary("Mark a milestone done (If-Match).");

        group.MapPost("/{id:guid}/documents", AttachDocument)
            .WithMetadata(new RequestSizeLimitAttribute(MaxDocumentBytes + 1))
            .WithName("AttachProjectDocument").WithSummary("Attach a file (body = the file, Content-Type its type, ?fileName=…); 2 MiB at most, PDF/office/images only.");
        group.MapGet("/{id:guid}/documents/{documentId:guid}", async Task<IResult> (Guid id, Guid documentId, IQuerySession session, CancellationToken ct) =>
            {
                var document = await session.LoadAsync<StoredDocument>(documentId, ct);
                if (document is null || document.ProjectId != id) return Problems.NotFound("Aucun document avec cet identifiant.");
                // Always a download, never rendered inline (no script, no HTML can run from a stored file).
                return TypedResults.File(document.Content, "application/octet-stream", document.FileName);
            }).WithName("DownloadProjectDocument").WithSummary("Download an attached file (always as an attachment).");
        return group;
    }

    private static async Task<Results<Created<ProjectView>, ValidationProblem>> Create(
        CreateProjectRequest r, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var v = new Coordination.Projects.ProjectValidation();
        var title = v.Text(r.Title, "title", 200, required: true);
        if (r.Type is null) v.Add("type", "Indiquez le type de projet.");
        if (r.Departements is not { Count: > 0 } || r.Departements.Any(d => !Vocabularies.Departements.ContainsKey(d ?? "")))
            v.Add("departements", "Indiquez au moins un département (codes INSEE).");
        if (r.LeadOrganisationId is null) v.Add("leadOrganisationId", "Indiquez l'organisation qui porte le projet.");
        else if (!user.IsCoordinatorOrAdmin && !user.WorksFor(r.LeadOrganisationId.Value))
            throw new AccessDenied("Vous ne pouvez porter un projet que pour votre propre organisation.");
        var description = v.Text(r.Description, "description", 4000, required: true);
        v.Money(r.Budget, "budget", required: true);
        if (r.TargetStart is { } s && r.TargetEnd is { } e && e < s) v.Add("targetEnd", "La fin prévue suit le début prévu.");
        if (!v.IsValid) return Problems.Invalid(v.Errors);

        var id = Guid.CreateVersion7();
        session.Events.StartStream<Project>(id, new ProjectCreated(id, title!, r.Type!.Value, [.. r.Departements!.Distinct()], r.LeadOrganisationId!.Value,
            description!, r.Budget!.Value, r.TargetStart, r.TargetEnd, user.UserId, time.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        http.Response.SetETag(1);
        return TypedResults.Created($"/api/projects/{id}", ProjectView.Of((await session.LoadAsync<Project>(id, ct))!, 1));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> AttachDocument(
        Guid id, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct, string? fileName = null)
    {
        var contentType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        if (!AllowedDocumentTypes.TryGetValue(contentType, out var extension))
            return TypedResults.Problem(statusCode: 415, title: Problems.TitleFor(415),
                detail: "Type de fichier refusé : PDF, documents bureautiques (docx, xlsx, odt, ods, csv) ou images (png, jpeg) seulement.");
        var name = Path.GetFileName(fileName ?? "").Trim();
        if (name.Length is 0 or > 150 || name.Any(c => char.IsControl(c) || c is '/' or '\\') || !name.EndsWith(extension, StringComparison.OrdinalIgnoreCase) && !(extension == ".jpg" && name.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)))
            return Problems.Invalid(new Dictionary<string, string[]> { ["fileName"] = [$"Indiquez le nom du fichier (?fileName=…), avec l'extension {extension}."] });
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxDocumentBytes)
            return TypedResults.Problem(statusCode: 413, title: Problems.TitleFor(413), detail: "Le fichier dépasse 2 Mio.");
        if (buffer.Length == 0)
            return Problems.Invalid(new Dictionary<string, string[]> { ["body"] = ["Le fichier est vide."] });
        var bytes = buffer.ToArray();
        var documentId = Guid.CreateVersion7();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var version = await session.GetAndUpdate<Project>(id, ExpectedVersion.Any, p =>
        {
            EnsureMayChange(p, http);
            session.Store(new StoredDocument(documentId, id, name, contentType, bytes.Length, sha, bytes));
            return [new DocumentAttached(id, documentId, name, contentType, bytes.Length, sha, CurrentUser.From(http.User).UserId, time.GetUtcNow())];
        }, ct);
        http.Response.SetETag(version);
        http.Response.Headers.Location = $"/api/projects/{id}/documents/{documentId}";
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<List<ProjectView>>, ValidationProblem>> Search(
        IQuerySession session, CancellationToken ct, string? departement = null, string? type = null, string? stage = null, Guid? leadOrganisationId = null)
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
        return TypedResults.Ok((await query.OrderBy(p => p.Title).Take(500).ToListAsync(ct)).Select(p => ProjectView.Of(p, 0)).ToList());
    }

    private static async Task<Ok<List<ProjectView>>> Stuck(IQuerySession session, TimeProvider time, CancellationToken ct, int days = 60)
    {
        var before = time.GetUtcNow().AddDays(-Math.Clamp(days, 1, 3650));
        var stuck = await session.Query<Project>()
            .Where(p => p.LastEventAt < before && p.Stage != Stage.Evaluated && p.Stage != Stage.Abandoned)
            .OrderBy(p => p.LastEventAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(stuck.Select(p => ProjectView.Of(p, 0)).ToList());
    }

    /// <summary>The lead organisation's staff and the national coordinators change a project.</summary>
    private static void EnsureMayChange(Project p, HttpContext http)
    {
        var user = CurrentUser.From(http.User);
        if (!user.IsCoordinatorOrAdmin && !user.WorksFor(p.LeadOrganisationId))
            throw new AccessDenied("Seuls l'organisation qui porte le projet et les coordinateurs nationaux le modifient.");
    }

    private static async Task<Results<NoContent, ValidationProblem>> Change(
        Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session, Func<Project, string, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var version = await session.GetAndUpdate<Project>(id, expected, p => decide(p, CurrentUser.From(http.User).UserId), ct,
            authorize: p => EnsureMayChange(p, http));
        http.Response.SetETag(version);
        return TypedResults.NoContent();
    }
}
