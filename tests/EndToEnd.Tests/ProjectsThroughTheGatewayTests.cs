using System.Net.Http.Headers;

namespace Coordination.EndToEnd.Tests;

/// <summary>A local lead starts a project, moves it on and attaches a 1 MiB convention draft through the gateway; the Dashboard gets the stages.</summary>
public class ProjectsThroughTheGatewayTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task A_project_moves_on_with_a_large_document_and_its_stages_reach_the_dashboard()
    {
        var lead = Guid.NewGuid();
        var staff = platform.GatewayClient().As(TestTokens.For(Roles.AssociationStaff, lead, "aav-lead", issuer: platform.Issuer));
        var created = await (await staff.SendJson(HttpMethod.Post, "/api/projects", new
        {
            title = "Point d'accueil commun à Marseille", type = "jointReceptionPoint", departements = new[] { "13" }, leadOrganisationId = lead,
            description = "Un accueil commun ISCG / association au commissariat central.", budget = 42000.50m,
        })).HasStatus(HttpStatusCode.Created);
        var id = (await created.ReadJson<ProjectCreated>()).Project.Id;
        await (await staff.SendJson(HttpMethod.Post, $"/api/projects/{id}/stage", new { stage = "diagnosis" }, created.Headers.ETag!.Tag)).HasStatus(HttpStatusCode.NoContent);

        // Over the gateway's 256 KiB default: documents have their own route limit (2 MiB).
        var content = new ByteArrayContent(new byte[1024 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        await (await staff.PostAsync($"/api/projects/{id}/documents?fileName=convention-projet.pdf", content)).HasStatus(HttpStatusCode.NoContent);
        var tooBig = new ByteArrayContent(new byte[3 * 1024 * 1024]);
        tooBig.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        // As a browser or a careful client sends a large body: it waits for the go-ahead (Expect: 100-continue), so the 413
        // answered before any byte is read is not lost to a connection closed mid-upload (a broken pipe on the client).
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{id}/documents?fileName=trop-gros.pdf") { Content = tooBig };
        upload.Headers.ExpectContinue = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await staff.SendAsync(upload)).StatusCode);

        var store = platform.Dashboard.Services.GetRequiredService<IDocumentStore>();
        var stages = await HttpClientExtensions.Eventually(async () =>
        {
            await using var query = store.QuerySession();
            return (await query.Events.FetchStreamAsync(id)).Select(e => e.Data).OfType<Coordination.Contracts.Projects.ProjectStageChanged>().ToList();
        }, s => s.Count == 2, TimeSpan.FromSeconds(30), "project stages at the Dashboard");
        Assert.Equal(["idea", "diagnosis"], stages.OrderBy(s => s.SourceVersion).Select(s => s.Stage));
        Assert.All(stages, s => Assert.Equal("joint-reception-point", s.Type));
    }
}
