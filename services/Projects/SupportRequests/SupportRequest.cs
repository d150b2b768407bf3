using Coordination.Projects.Projects;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.Projects.SupportRequests;

public enum SupportKind { ModelDocument, FundingFileReview, LegalQuestion, PartnerContact, Other }

public enum SupportStatus { Open, Answered, Closed }

public sealed record SupportMessage(string Text, string By, bool FromCoordinator, DateTimeOffset At);

public sealed record SupportRequested(Guid RequestId, Guid ProjectId, Guid LeadOrganisationId, SupportKind Kind, string Message, string By, DateTimeOffset At);

public sealed record SupportRequestAssigned(Guid RequestId, string CoordinatorUserId, string By, DateTimeOffset At);

public sealed record SupportMessagePosted(Guid RequestId, SupportMessage Message);

public sealed record SupportRequestClosed(Guid RequestId, string By, DateTimeOffset At);

/// <summary>A support request and its thread; its response clock runs from the request to the first coordinator answer.</summary>
public sealed record SupportRequestDetails(
    Guid Id, Guid ProjectId, Guid LeadOrganisationId, SupportKind Kind, SupportStatus Status, string? AssignedTo,
    IReadOnlyList<SupportMessage> Messages, DateTimeOffset RequestedAt, DateTimeOffset? FirstAnsweredAt, DateTimeOffset? ClosedAt)
{
    public double? ResponseHours => FirstAnsweredAt is { } answered ? Math.Round((answered - RequestedAt).TotalHours, 2) : null;
}

public static class SupportEvolution
{
    public static SupportRequestDetails? Evolve(SupportRequestDetails? s, object @event) => (s, @event) switch
    {
        (null, SupportRequested r) => new SupportRequestDetails(r.RequestId, r.ProjectId, r.LeadOrganisationId, r.Kind, SupportStatus.Open, null,
            [new SupportMessage(r.Message, r.By, false, r.At)], r.At, null, null),
        (null, _) => null,
        (_, SupportRequestAssigned a) => s with { AssignedTo = a.CoordinatorUserId },
        (_, SupportMessagePosted m) => s with
        {
            Messages = [.. s.Messages, m.Message],
            Status = m.Message.FromCoordinator && s.Status == SupportStatus.Open ? SupportStatus.Answered : s.Status,
            FirstAnsweredAt = s.FirstAnsweredAt ?? (m.Message.FromCoordinator ? m.Message.At : null),
        },
        (_, SupportRequestClosed c) => s with { Status = SupportStatus.Closed, ClosedAt = c.At },
        _ => s,
    };

    public static IReadOnlyList<object> Post(SupportRequestDetails s, string text, CurrentUser by, DateTimeOffset at)
    {
        if (s.Status == SupportStatus.Closed) throw new BusinessRuleViolation("Cette demande est close.");
        return [new SupportMessagePosted(s.Id, new SupportMessage(text, by.UserId, by.IsCoordinatorOrAdmin, at))];
    }

    public static IReadOnlyList<object> Close(SupportRequestDetails s, string by, DateTimeOffset at) =>
        s.Status == SupportStatus.Closed ? throw new BusinessRuleViolation("Cette demande est déjà close.") : [new SupportRequestClosed(s.Id, by, at)];
}

public sealed partial class SupportRequestProjection : SingleStreamProjection<SupportRequestDetails, Guid>
{
    public override SupportRequestDetails? Evolve(SupportRequestDetails? snapshot, Guid id, IEvent e) => SupportEvolution.Evolve(snapshot, e.Data);
}

public sealed record OpenSupportRequest(SupportKind? Kind, string? Message);

public sealed record SupportMessageRequest(string? Text);

public sealed record AssignRequest(string? CoordinatorUserId);

public sealed record SupportRequestView(SupportRequestDetails Request, double AgeHours, double? ResponseHours);

public static class SupportRequestsApi
{
    public static RouteGroupBuilder MapSupportRequests(this RouteGroupBuilder group)
    {
        group.MapPost("/{projectId:guid}/support-requests", async Task<Results<Created<SupportRequestDetails>, ValidationProblem, ProblemHttpResult>> (
                Guid projectId, OpenSupportRequest r, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var project = await session.LoadAsync<Project>(projectId, ct);
                if (project is null) return Problems.NotFound("Aucun projet avec cet identifiant.");
                var user = CurrentUser.From(http.User);
                if (!user.IsCoordinatorOrAdmin && !user.WorksFor(project.LeadOrganisationId))
                    return Problems.Forbidden("Seule l'organisation qui porte le projet demande un appui.");
                var v = new ProjectValidation();
                if (r.Kind is null) v.Add("kind", "Précisez la demande : modelDocument, fundingFileReview, legalQuestion, partnerContact ou other.");
                var message = v.Text(r.Message, "message", 4000, required: true);
                if (!v.IsValid) return Problems.Invalid(v.Errors);
                var id = Guid.CreateVersion7();
                session.Events.StartStream<SupportRequestDetails>(id,
                    new SupportRequested(id, projectId, project.LeadOrganisationId, r.Kind!.Value, message!, user.UserId, time.GetUtcNow()));
                await session.SaveChangesAsync(ct);
                http.Response.SetETag(1);
                return TypedResults.Created($"/api/projects/support-requests/{id}", (await session.LoadAsync<SupportRequestDetails>(id, ct))!);
            }).WithName("OpenSupportRequest").WithSummary("Ask the national coordinators for help (model document, funding file review…).");

        group.MapGet("/support-requests", async (IQuerySession session, TimeProvider time, HttpContext http, CancellationToken ct, bool openOnly = true) =>
            {
                var user = CurrentUser.From(http.User);
                IQueryable<SupportRequestDetails> query = session.Query<SupportRequestDetails>();
                if (!user.IsCoordinatorOrAdmin) query = query.Where(r => r.LeadOrganisationId == user.OrganisationId);
                if (openOnly) query = query.Where(r => r.Status != SupportStatus.Closed);
                var now = time.GetUtcNow();
                return TypedResults.Ok((await query.OrderBy(r => r.RequestedAt).Take(500).ToListAsync(ct))
                    .Select(r => new SupportRequestView(r, Math.Round((now - r.RequestedAt).TotalHours, 2), r.ResponseHours)).ToList());
            }).WithName("GetSupportRequests").WithSummary("Open support requests with their age, oldest first (coordinators: all; others: their organisation's).");

        group.MapGet("/support-requests/{id:guid}", async Task<Results<Ok<SupportRequestDetails>, ProblemHttpResult>> (
                Guid id, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var request = await session.LoadAsync<SupportRequestDetails>(id, ct);
                var user = CurrentUser.From(http.User);
                if (request is null || (!user.IsCoordinatorOrAdmin && user.OrganisationId != request.LeadOrganisationId))
                    return Problems.NotFound("Aucune demande avec cet identifiant.");
                http.Response.SetETag((await session.Events.FetchStreamStateAsync(id, ct))!.Version);
                return TypedResults.Ok(request);
            }).WithName("GetSupportRequest").WithSummary("A support request and its thread.");

        group.MapPost("/support-requests/{id:guid}/messages", async Task<Results<NoContent, ValidationProblem>> (Guid id, SupportMessageRequest r,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var v = new ProjectValidation();
                var text = v.Text(r.Text, "text", 4000, required: true);
                if (!v.IsValid) return Problems.Invalid(v.Errors);
                return await Change(id, expected, http, session, (s, user) => SupportEvolution.Post(s, text!, user, time.GetUtcNow()), ct);
            }).WithName("PostSupportMessage").WithSummary("Write in the thread; the first coordinator message answers the request (If-Match).");

        group.MapPost("/support-requests/{id:guid}/assignment", async Task<Results<NoContent, ValidationProblem>> (Guid id, AssignRequest r,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var v = new ProjectValidation();
                var coordinator = v.Text(r.CoordinatorUserId, "coordinatorUserId", 200, required: true);
                if (!v.IsValid) return Problems.Invalid(v.Errors);
                return await Change(id, expected, http, session, (s, user) => [new SupportRequestAssigned(s.Id, coordinator!, user.UserId, time.GetUtcNow())], ct);
            }).RequireAuthorization(Policies.Coordinators).WithName("AssignSupportRequest").WithSummary("Give the request to a coordinator (If-Match).");

        group.MapPost("/support-requests/{id:guid}/closing", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                Change(id, expected, http, session, (s, user) => SupportEvolution.Close(s, user.UserId, time.GetUtcNow()), ct))
            .WithName("CloseSupportRequest").WithSummary("Close the request (its organisation or a coordinator; If-Match).");
        return group;
    }

    private static async Task<Results<NoContent, ValidationProblem>> Change(
        Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
        Func<SupportRequestDetails, CurrentUser, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var version = await session.GetAndUpdate<SupportRequestDetails>(id, expected, s => decide(s, user), ct, authorize: s =>
        {
            if (!user.IsCoordinatorOrAdmin && user.OrganisationId != s.LeadOrganisationId)
                throw new ResourceNotFound("Aucune demande avec cet identifiant.");
        });
        http.Response.SetETag(version);
        return TypedResults.NoContent();
    }
}
