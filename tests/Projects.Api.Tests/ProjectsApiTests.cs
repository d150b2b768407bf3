using System.Net;
using Coordination.Projects.AttachingDocument;
using Coordination.Projects.GettingDetails;
using Coordination.Projects.GettingTimeline;
using Coordination.Projects.RaisingOverdueMilestones;
using Coordination.Projects.SupportRequests;
using Coordination.Projects.SupportRequests.Listing;
using Coordination.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Coordination.Testing.Specification;

namespace Coordination.Projects.Api.Tests;

public class ProjectsApiTests(ProjectsFactory factory) : IClassFixture<ProjectsFactory>
{
    private readonly ProjectsClients api = new(factory);

    [Fact]
    public async Task From_idea_to_signed_convention_with_the_funding_plan_in_euros()
    {
        var (id, etag) = await Given(() => api.Project());
        etag = await api.Post(api.LeadStaff(), $"/api/projects/{id}/stage", new { stage = "diagnosis" }, etag);
        etag = await api.Post(api.LeadStaff(), $"/api/projects/{id}/stage", new { stage = "fundingSearch" }, etag);
        etag = await api.Post(api.LeadStaff(), $"/api/projects/{id}/funding-lines",
            new { funder = "stateFipd", amountRequested = 30000.10m, fromYear = 2026, toYear = 2028 }, etag);
        etag = await api.Post(api.LeadStaff(), $"/api/projects/{id}/funding-lines",
            new { funder = "caf", amountRequested = 0.20m, fromYear = 2026, toYear = 2026 }, etag);

        var refused = await When(() => api.LeadStaff().SendJson(HttpMethod.Post, $"/api/projects/{id}/stage", new { stage = "conventionSigned" }, etag))
            .Then(HttpStatusCode.Conflict);
        Assert.Contains("financement accordé", (await refused.Problem()).Detail);

        var lines = (await api.View(api.LeadStaff(), id)).Project.Funding.Select(l => l.LineId).ToList();
        etag = await api.Post(api.LeadStaff(), $"/api/projects/{id}/funding-lines/{lines[0]}/decision",
            new { decision = "granted", amountGranted = 30000.10m, decisionDate = "2026-10-01" }, etag);
        etag = await api.Post(api.LeadStaff(), $"/api/projects/{id}/funding-lines/{lines[1]}/decision",
            new { decision = "granted", amountGranted = 0.20m, decisionDate = "2026-10-02" }, etag);
        etag = await api.Post(api.LeadStaff(), $"/api/projects/{id}/partners",
            new { organisationId = ProjectsFactory.Partner, role = "cofinanceur", signatory = true }, etag);
        await api.Post(api.LeadStaff(), $"/api/projects/{id}/stage", new { stage = "conventionSigned" }, etag);

        var project = await api.View(api.LeadStaff(), id);
        Assert.Equal(Stage.ConventionSigned, project.Project.Stage);
        Assert.Equal((30000.30m, 30000.30m), (project.Granted, project.Requested));
        Assert.Equal([new ProjectPartner(ProjectsFactory.Partner, "cofinanceur", true)], project.Project.Partners);
        var timeline = await When(() => api.LeadStaff().GetAsync($"/api/projects/{id}/timeline")).Then<List<TimelineEntry>>(HttpStatusCode.OK);
        Assert.Equal(3, timeline.Count(t => t.Event == "stage_changed"));
        var signed = await When(() => api.Coordinator().GetAsync("/api/projects?stage=conventionSigned&departement=93&type=newIscgPost"))
            .Then<List<ProjectView>>(HttpStatusCode.OK);
        Assert.Contains(signed, p => p.Project.Id == id);
        var badStage = await When(() => api.Coordinator().GetAsync("/api/projects?stage=paused")).Then(HttpStatusCode.BadRequest);
        Assert.Contains("stage", (await badStage.Problem()).Errors!.Keys);
    }

    [Fact]
    public async Task A_partner_must_be_known_to_the_directory()
    {
        var (id, etag) = await Given(() => api.Project());

        var unknown = await When(() => api.LeadStaff().SendJson(HttpMethod.Post, $"/api/projects/{id}/partners",
            new { organisationId = Guid.NewGuid(), role = "cofinanceur", signatory = true }, etag)).Then(HttpStatusCode.BadRequest);

        Assert.Contains("annuaire", (await unknown.Problem()).Errors!["organisationId"][0]);
        Assert.Empty((await api.View(api.LeadStaff(), id)).Project.Partners);
    }

    [Fact]
    public async Task Bad_amounts_are_refused_to_the_cent()
    {
        var (id, etag) = await Given(() => api.Project());

        var cents = await When(() => api.LeadStaff().SendJson(HttpMethod.Post, $"/api/projects/{id}/funding-lines",
            new { funder = "commune", amountRequested = 10.005m, fromYear = 2026, toYear = 2027 }, etag)).Then(HttpStatusCode.BadRequest);

        Assert.Contains("deux décimales", (await cents.Problem()).Errors!["amountRequested"][0]);
    }

    [Fact]
    public async Task Documents_have_limits_and_nothing_is_stored_when_refused()
    {
        var (id, _) = await Given(() => api.Project());

        var html = await api.Upload(api.LeadStaff(), id, "<script>alert(1)</script>"u8.ToArray(), "text/html", "piege.html");
        var tooLarge = await api.Upload(api.LeadStaff(), id, new byte[AttachDocumentEndpoint.MaxDocumentBytes + 1], "application/pdf", "gros.pdf");
        var ok = await api.Upload(api.LeadStaff(), id, "%PDF-1.7 convention"u8.ToArray(), "application/pdf", "convention-2027.pdf");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, html.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        await ok.HasStatus(HttpStatusCode.NoContent);
        await using var session = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stored = await session.Query<StoredDocument>().Where(d => d.ProjectId == id).ToListAsync();
        Assert.Equal(["convention-2027.pdf"], stored.Select(d => d.FileName));
        Assert.Equal(64, stored[0].Sha256.Length);
        var download = await When(() => api.LeadStaff().GetAsync(ok.Headers.Location!)).Then(HttpStatusCode.OK);
        Assert.Equal("application/octet-stream", download.Response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("%PDF-1.7 convention"u8.ToArray(), await download.Response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_support_request_is_answered_by_a_coordinator_with_its_response_time()
    {
        var (id, _) = await Given(() => api.Project());
        var created = await When(() => api.LeadStaff().SendJson(HttpMethod.Post, $"/api/projects/{id}/support-requests",
            new { kind = "modelDocument", message = "Avez-vous un modèle de convention tripartite ?" })).Then(HttpStatusCode.Created);
        var requestId = (await created.Body<SupportRequestDetails>()).Id;
        factory.Clock.Advance(TimeSpan.FromHours(5));
        try
        {
            var open = await When(() => api.Coordinator().GetAsync("/api/projects/support-requests")).Then<List<SupportRequestView>>(HttpStatusCode.OK);
            var mine = open.Single(r => r.Request.Id == requestId);
            Assert.True(mine.AgeHours >= 5);
            Assert.Equal(["postSupportMessage", "assignSupportRequest", "closeSupportRequest"], mine.AllowedActions);

            var etag = await api.Post(api.Coordinator(), $"/api/projects/support-requests/{requestId}/messages",
                new { text = "Voici le modèle validé en 2025." }, created.Response.Headers.ETag!.Tag);
            var answered = await When(() => api.LeadStaff().GetAsync($"/api/projects/support-requests/{requestId}"))
                .Then<SupportRequestDetails>(HttpStatusCode.OK);
            Assert.Equal((SupportStatus.Answered, 5.0), (answered.Status, answered.ResponseHours));
            Assert.Equal("Voici le modèle validé en 2025.", answered.Messages[^1].Text);
            await api.Post(api.LeadStaff(), $"/api/projects/support-requests/{requestId}/closing", new { }, etag);
            var closed = await When(() => api.LeadStaff().GetAsync("/api/projects/support-requests?openOnly=false"))
                .Then<List<SupportRequestView>>(HttpStatusCode.OK);
            Assert.Empty(closed.Single(r => r.Request.Id == requestId).AllowedActions);
        }
        finally
        {
            factory.Clock.Advance(TimeSpan.FromHours(-5));
        }
    }

    [Fact]
    public async Task An_overdue_milestone_is_raised_once_and_the_project_shows_up_as_stuck()
    {
        var (id, etag) = await Given(() => api.Project());
        var due = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime.AddDays(10));
        await api.Post(api.LeadStaff(), $"/api/projects/{id}/milestones", new { title = "Fiche de poste validée", dueDate = due }, etag);
        var watcher = factory.Services.GetRequiredService<MilestoneWatcher>();
        factory.Clock.Advance(TimeSpan.FromDays(90));
        try
        {
            Assert.True(await watcher.CheckOnceAsync(CancellationToken.None) >= 1);
            await watcher.CheckOnceAsync(CancellationToken.None);
            var timeline = await When(() => api.LeadStaff().GetAsync($"/api/projects/{id}/timeline")).Then<List<TimelineEntry>>(HttpStatusCode.OK);
            Assert.Single(timeline, t => t.Event == "milestone_overdue");
            Assert.True((await api.View(api.LeadStaff(), id)).Project.Milestones.Single().OverdueRaised);
            var stuck = await When(() => api.Coordinator().GetAsync("/api/projects/stuck?days=60")).Then<List<ProjectView>>(HttpStatusCode.OK);
            Assert.Contains(stuck, p => p.Project.Id == id);
        }
        finally
        {
            factory.Clock.Advance(TimeSpan.FromDays(-90));
        }
    }
}
