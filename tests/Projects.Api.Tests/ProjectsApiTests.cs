using System.Net;
using System.Net.Http.Headers;
using Coordination.Projects.Projects;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordination.Projects.Api.Tests;

public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;
    public override DateTimeOffset GetUtcNow() => now;
    public void Advance(TimeSpan by) => now += by;
}

public sealed class ProjectsFactory() : ServiceFactory<Program>("projects")
{
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Projects:MilestoneCheckEvery", "01:00:00");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public class ProjectsApiTests(ProjectsFactory factory) : IClassFixture<ProjectsFactory>
{
    private static readonly Guid Lead = Guid.NewGuid();

    private HttpClient LeadStaff() => factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, Lead, "aav-lead"));
    private HttpClient Coordinator() => factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator, userId: "coord-fv"));

    private async Task<(Guid Id, string ETag)> Create()
    {
        var response = await (await LeadStaff().SendJson(HttpMethod.Post, "/api/projects", new
        {
            title = "Poste d'ISCG à Aubervilliers", type = "newIscgPost", departements = new[] { "93" }, leadOrganisationId = Lead,
            description = "Créer un second poste au commissariat d'Aubervilliers.", budget = 85000.00m,
        })).HasStatus(HttpStatusCode.Created);
        return ((await response.ReadJsonElement()).GetProperty("project").GetProperty("id").GetGuid(), response.Headers.ETag!.Tag);
    }

    private async Task<string> Post(HttpClient client, string path, object body, string etag, HttpStatusCode expected = HttpStatusCode.NoContent) =>
        (await (await client.SendJson(HttpMethod.Post, path, body, etag)).HasStatus(expected)).Headers.ETag?.Tag ?? etag;

    [Fact]
    public async Task From_idea_to_signed_convention_with_the_funding_plan_in_euros()
    {
        var (id, etag) = await Create();
        etag = await Post(LeadStaff(), $"/api/projects/{id}/stage", new { stage = "diagnosis" }, etag);
        etag = await Post(LeadStaff(), $"/api/projects/{id}/stage", new { stage = "fundingSearch" }, etag);
        etag = await Post(LeadStaff(), $"/api/projects/{id}/funding-lines", new { funder = "stateFipd", amountRequested = 30000.10m, fromYear = 2026, toYear = 2028 }, etag);
        etag = await Post(LeadStaff(), $"/api/projects/{id}/funding-lines", new { funder = "caf", amountRequested = 0.20m, fromYear = 2026, toYear = 2026 }, etag);
        var refused = await LeadStaff().SendJson(HttpMethod.Post, $"/api/projects/{id}/stage", new { stage = "conventionSigned" }, etag);
        await refused.HasStatus(HttpStatusCode.Conflict);

        var project = await (await LeadStaff().GetAsync($"/api/projects/{id}")).ReadJsonElement();
        var lines = project.GetProperty("project").GetProperty("funding").EnumerateArray().Select(l => l.GetProperty("lineId").GetGuid()).ToList();
        etag = await Post(LeadStaff(), $"/api/projects/{id}/funding-lines/{lines[0]}/decision", new { decision = "granted", amountGranted = 30000.10m, decisionDate = "2026-10-01" }, etag);
        etag = await Post(LeadStaff(), $"/api/projects/{id}/funding-lines/{lines[1]}/decision", new { decision = "granted", amountGranted = 0.20m, decisionDate = "2026-10-02" }, etag);
        etag = await Post(LeadStaff(), $"/api/projects/{id}/partners", new { organisationId = Guid.NewGuid(), role = "cofinanceur", signatory = true }, etag);
        await Post(LeadStaff(), $"/api/projects/{id}/stage", new { stage = "conventionSigned" }, etag);

        project = await (await LeadStaff().GetAsync($"/api/projects/{id}")).ReadJsonElement();
        Assert.Equal("conventionSigned", project.GetProperty("project").GetProperty("stage").GetString());
        Assert.Equal(30000.30m, project.GetProperty("granted").GetDecimal());
        Assert.Equal(30000.30m, project.GetProperty("requested").GetDecimal());
        var timeline = await (await LeadStaff().GetAsync($"/api/projects/{id}/timeline")).ReadJsonElement();
        Assert.Contains(timeline.EnumerateArray(), t => t.GetProperty("event").GetString() == "stage_changed");
        var signed = await (await (await Coordinator().GetAsync("/api/projects?stage=conventionSigned&departement=93&type=newIscgPost")).HasStatus(HttpStatusCode.OK)).ReadJsonElement();
        Assert.Contains(signed.EnumerateArray(), p => p.GetProperty("project").GetProperty("id").GetGuid() == id);
        var badStage = await Coordinator().GetAsync("/api/projects?stage=paused");
        await badStage.HasStatus(HttpStatusCode.BadRequest);
        Assert.True((await badStage.ReadJsonElement()).GetProperty("errors").TryGetProperty("stage", out _));
    }

    [Fact]
    public async Task Another_organisation_cannot_change_the_project_and_bad_amounts_are_refused()
    {
        var (id, etag) = await Create();
        var outsider = factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.SendJson(HttpMethod.Post, $"/api/projects/{id}/stage", new { stage = "diagnosis" }, etag)).StatusCode);
        var cents = await LeadStaff().SendJson(HttpMethod.Post, $"/api/projects/{id}/funding-lines", new { funder = "commune", amountRequested = 10.005m, fromYear = 2026, toYear = 2027 }, etag);
        await cents.HasStatus(HttpStatusCode.BadRequest);
        Assert.True((await cents.ReadJsonElement()).GetProperty("errors").TryGetProperty("amountRequested", out _));
    }

    [Fact]
    public async Task Documents_have_limits_and_nothing_is_stored_when_refused()
    {
        var (id, _) = await Create();
        async Task<HttpResponseMessage> Upload(byte[] bytes, string type, string name)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(type);
            return await LeadStaff().PostAsync($"/api/projects/{id}/documents?fileName={Uri.EscapeDataString(name)}", content);
        }

        var html = await Upload("<script>alert(1)</script>"u8.ToArray(), "text/html", "piege.html");
        var tooLarge = await Upload(new byte[ProjectsApi.MaxDocumentBytes + 1], "application/pdf", "gros.pdf");
        var ok = await Upload("%PDF-1.7 convention"u8.ToArray(), "application/pdf", "convention-2027.pdf");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, html.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        await ok.HasStatus(HttpStatusCode.NoContent);
        await using var session = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stored = await session.Query<StoredDocument>().Where(d => d.ProjectId == id).ToListAsync();
        Assert.Equal(["convention-2027.pdf"], stored.Select(d => d.FileName));
        Assert.Equal(64, stored[0].Sha256.Length);
        var download = await LeadStaff().GetAsync(ok.Headers.Location!);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
    }

    [Fact]
    public async Task A_support_request_is_answered_by_a_coordinator_with_its_response_time()
    {
        var (id, _) = await Create();
        var created = await (await LeadStaff().SendJson(HttpMethod.Post, $"/api/projects/{id}/support-requests",
            new { kind = "modelDocument", message = "Avez-vous un modèle de convention tripartite ?" })).HasStatus(HttpStatusCode.Created);
        var requestId = (await created.ReadJsonElement()).GetProperty("id").GetGuid();
        factory.Clock.Advance(TimeSpan.FromHours(5));
        try
        {
            var open = await (await Coordinator().GetAsync("/api/projects/support-requests")).ReadJsonElement();
            var mine = open.EnumerateArray().Single(r => r.GetProperty("request").GetProperty("id").GetGuid() == requestId);
            Assert.True(mine.GetProperty("ageHours").GetDouble() >= 5);

            var etag = await Post(Coordinator(), $"/api/projects/support-requests/{requestId}/messages", new { text = "Voici le modèle validé en 2025." }, created.Headers.ETag!.Tag);
            var answered = await (await LeadStaff().GetAsync($"/api/projects/support-requests/{requestId}")).ReadJsonElement();
            Assert.Equal("answered", answered.GetProperty("status").GetString());
            Assert.Equal(5.0, answered.GetProperty("responseHours").GetDouble());
            await Post(LeadStaff(), $"/api/projects/support-requests/{requestId}/closing", new { }, etag);
            Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, Guid.NewGuid()))
                .GetAsync($"/api/projects/support-requests/{requestId}")).StatusCode);
        }
        finally
        {
            factory.Clock.Advance(TimeSpan.FromHours(-5));
        }
    }

    [Fact]
    public async Task An_overdue_milestone_is_raised_once_and_the_project_shows_up_as_stuck()
    {
        var (id, etag) = await Create();
        var due = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime.AddDays(10));
        await Post(LeadStaff(), $"/api/projects/{id}/milestones", new { title = "Fiche de poste validée", dueDate = due }, etag);
        var watcher = factory.Services.GetRequiredService<MilestoneWatcher>();
        factory.Clock.Advance(TimeSpan.FromDays(90));
        try
        {
            Assert.True(await watcher.CheckOnceAsync(CancellationToken.None) >= 1);
            await watcher.CheckOnceAsync(CancellationToken.None);
            var timeline = await (await LeadStaff().GetAsync($"/api/projects/{id}/timeline")).ReadJsonElement();
            Assert.Single(timeline.EnumerateArray(), t => t.GetProperty("event").GetString() == "milestone_overdue");
            var stuck = await (await Coordinator().GetAsync("/api/projects/stuck?days=60")).ReadJsonElement();
            Assert.Contains(stuck.EnumerateArray(), p => p.GetProperty("project").GetProperty("id").GetGuid() == id);
        }
        finally
        {
            factory.Clock.Advance(TimeSpan.FromDays(-90));
        }
    }
}
