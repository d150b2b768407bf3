using System.Net;
using Coordination.Projects.GettingDetails;
using Coordination.Projects.GettingTimeline;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;
using static Coordination.Testing.Specification;

namespace Coordination.Projects.Api.Tests;

/// <summary>
/// Who sees and changes a project: its lead organisation changes it, its partners follow it, the coordinators do both;
/// to anyone else its private parts and its commands answer exactly like an unknown project.
/// </summary>
public class AccessTests(ProjectsFactory factory) : IClassFixture<ProjectsFactory>
{
    private static readonly string[] Everything =
        ["changeStage", "addPartner", "addFundingLine", "recordFundingDecision", "addMilestone", "completeMilestone", "attachDocument", "openSupportRequest"];

    private readonly ProjectsClients api = new(factory);

    public static TheoryData<string> Routes => new() { "/api/projects", "/api/projects/stuck", "/api/projects/support-requests" };

    [Theory]
    [MemberData(nameof(Routes))]
    public Task Every_bad_token_is_refused_with_a_401_problem(string path) =>
        BadTokens.AreRefusedWith401Problems(factory.CreateClient, path);

    [Fact]
    public async Task Each_caller_is_offered_exactly_what_the_api_accepts_from_them()
    {
        var (id, etag) = await Given(() => api.Project());
        await api.Post(api.LeadStaff(), $"/api/projects/{id}/partners", new { organisationId = ProjectsFactory.Partner, role = "cofinanceur" }, etag);

        Assert.Equal(Everything, (await api.View(api.LeadStaff(), id)).AllowedActions);
        Assert.Equal(Everything, (await api.View(api.Coordinator(), id)).AllowedActions);
        Assert.Empty((await api.View(api.PartnerStaff(), id)).AllowedActions);
        Assert.Empty((await api.View(api.Outsider(), id)).AllowedActions);

        // What the partner is not offered, the API refuses it.
        var version = (await api.View(api.PartnerStaff(), id)).Version;
        var refused = await When(() => api.PartnerStaff().SendJson(HttpMethod.Post, $"/api/projects/{id}/stage", new { stage = "diagnosis" },
            $"\"{version}\"")).Then(HttpStatusCode.Forbidden);
        Assert.Contains("porte le projet", (await refused.Problem()).Detail);

        await api.Post(api.Coordinator(), $"/api/projects/{id}/stage", new { stage = "abandoned", reason = "Pas de cofinancement" }, $"\"{version}\"");
        var abandoned = await api.View(api.LeadStaff(), id);
        Assert.DoesNotContain("changeStage", abandoned.AllowedActions);
        await When(() => api.LeadStaff().SendJson(HttpMethod.Post, $"/api/projects/{id}/stage", new { stage = "idea", reason = "Relance" },
            $"\"{abandoned.Version}\"")).Then(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_stranger_gets_the_same_answer_as_for_a_project_that_does_not_exist()
    {
        var (id, etag) = await Given(() => api.Project());
        var unknown = Guid.NewGuid();

        async Task<Problem> Both(Func<Guid, Task<HttpResponseMessage>> call)
        {
            var stranger = await (await When(() => call(id)).Then(HttpStatusCode.NotFound)).Problem();
            var missing = await (await When(() => call(unknown)).Then(HttpStatusCode.NotFound)).Problem();
            Assert.Equal(missing, stranger);
            return stranger;
        }

        var stage = await Both(p => api.Outsider().SendJson(HttpMethod.Post, $"/api/projects/{p}/stage", new { stage = "diagnosis" }, etag));
        Assert.Equal("Aucun projet avec cet identifiant.", stage.Detail);
        Assert.Equal(stage, await Both(p => api.Outsider().SendJson(HttpMethod.Post, $"/api/projects/{p}/milestones",
            new { title = "Jalon", dueDate = "2027-01-01" }, etag)));
        Assert.Equal(stage, await Both(p => api.Outsider().SendJson(HttpMethod.Post, $"/api/projects/{p}/partners",
            new { organisationId = ProjectsFactory.Partner, role = "cofinanceur" }, etag)));
        Assert.Equal(stage, await Both(p => api.Upload(api.Outsider(), p, "%PDF-1.7"u8.ToArray(), "application/pdf", "essai.pdf")));
        Assert.Equal(stage, await Both(p => api.Outsider().GetAsync($"/api/projects/{p}/timeline")));
        Assert.Equal(stage, await Both(p => api.Outsider().SendJson(HttpMethod.Post, $"/api/projects/{p}/support-requests",
            new { kind = "other", message = "Question" })));
        // The stranger changed nothing.
        Assert.Equal(1, (await api.View(api.LeadStaff(), id)).Version);
    }

    [Fact]
    public async Task Documents_and_the_timeline_are_for_the_projects_organisations_and_the_coordinators()
    {
        var (id, etag) = await Given(() => api.Project());
        await api.Post(api.LeadStaff(), $"/api/projects/{id}/partners", new { organisationId = ProjectsFactory.Partner, role = "cofinanceur" }, etag);
        var upload = await api.Upload(api.LeadStaff(), id, "%PDF-1.7 budget"u8.ToArray(), "application/pdf", "budget.pdf");
        await upload.HasStatus(HttpStatusCode.NoContent);
        var document = upload.Headers.Location!.ToString();

        foreach (var reader in new[] { api.LeadStaff(), api.PartnerStaff(), api.Coordinator() })
        {
            await When(() => reader.GetAsync(document)).Then(HttpStatusCode.OK);
            var timeline = await When(() => reader.GetAsync($"/api/projects/{id}/timeline")).Then<List<TimelineEntry>>(HttpStatusCode.OK);
            Assert.Equal(["project_created", "partner_added", "document_attached"], timeline.Select(t => t.Event));
        }
        var hidden = await When(() => api.Outsider().GetAsync(document)).Then(HttpStatusCode.NotFound);
        var missing = await When(() => api.LeadStaff().GetAsync($"/api/projects/{id}/documents/{Guid.NewGuid()}")).Then(HttpStatusCode.NotFound);
        Assert.Equal(await missing.Problem(), await hidden.Problem());
    }

    [Fact]
    public async Task A_project_is_started_for_ones_own_organisation_unless_coordinator()
    {
        object Body(Guid lead) => new
        {
            title = "Point d'accueil conjoint", type = "jointReceptionPoint", departements = new[] { "93" }, leadOrganisationId = lead,
            description = "Un accueil commun au commissariat.", budget = 12000m,
        };

        var forAnother = await When(() => api.LeadStaff().SendJson(HttpMethod.Post, "/api/projects", Body(ProjectsFactory.Partner)))
            .Then(HttpStatusCode.Forbidden);
        var byCoordinator = await When(() => api.Coordinator().SendJson(HttpMethod.Post, "/api/projects", Body(ProjectsFactory.Partner)))
            .Then<ProjectView>(HttpStatusCode.Created);

        Assert.Contains("votre propre organisation", (await forAnother.Problem()).Detail);
        Assert.Equal(ProjectsFactory.Partner, byCoordinator.Project.LeadOrganisationId);
        Assert.Equal(Everything, (await api.View(api.PartnerStaff(), byCoordinator.Project.Id)).AllowedActions);
    }

    [Fact]
    public async Task A_support_request_of_another_organisation_reads_like_one_that_does_not_exist()
    {
        var (id, _) = await Given(() => api.Project());
        var created = await When(() => api.LeadStaff().SendJson(HttpMethod.Post, $"/api/projects/{id}/support-requests",
            new { kind = "legalQuestion", message = "Quelle convention pour un local partagé ?" })).Then(HttpStatusCode.Created);
        var request = (await created.Body<Coordination.Projects.SupportRequests.SupportRequestDetails>()).Id;
        var etag = created.Response.Headers.ETag!.Tag;

        foreach (var path in new[] { $"/api/projects/support-requests/{request}/messages", $"/api/projects/support-requests/{request}/closing" })
        {
            var stranger = await When(() => api.Outsider().SendJson(HttpMethod.Post, path, new { text = "Bonjour" }, etag)).Then(HttpStatusCode.NotFound);
            var missing = await When(() => api.Outsider().SendJson(HttpMethod.Post, path.Replace(request.ToString(), Guid.NewGuid().ToString()),
                new { text = "Bonjour" }, etag)).Then(HttpStatusCode.NotFound);
            Assert.Equal(await missing.Problem(), await stranger.Problem());
        }
        var read = await When(() => api.Outsider().GetAsync($"/api/projects/support-requests/{request}")).Then(HttpStatusCode.NotFound);
        Assert.Equal("Aucune demande avec cet identifiant.", (await read.Problem()).Detail);
    }
}
