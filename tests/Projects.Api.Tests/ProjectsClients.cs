using System.Net;
using Coordination.Projects.GettingDetails;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using static Coordination.Testing.Specification;

namespace Coordination.Projects.Api.Tests;

/// <summary>The callers of the tests and the steps they take to set a scene (each asserting that it worked).</summary>
public sealed class ProjectsClients(ProjectsFactory factory)
{
    public HttpClient LeadStaff() => factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, ProjectsFactory.Lead, "aav-lead"));

    public HttpClient PartnerStaff() => factory.CreateClient().As(TestTokens.For(Roles.PartnerStaff, ProjectsFactory.Partner, "ccas-partner"));

    /// <summary>Staff of an organisation that has no part in the tests' projects.</summary>
    public HttpClient Outsider() => factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, Guid.NewGuid(), "outsider"));

    public HttpClient Coordinator() => factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator, userId: "coord-fv"));

    /// <summary>A new project led by <see cref="ProjectsFactory.Lead"/>; its ETag is the quoted version.</summary>
    public async Task<(Guid Id, string ETag)> Project()
    {
        var created = await When(() => LeadStaff().SendJson(HttpMethod.Post, "/api/projects", new
        {
            title = "Poste d'ISCG à Aubervilliers", type = "newIscgPost", departements = new[] { "93" }, leadOrganisationId = ProjectsFactory.Lead,
            description = "Créer un second poste au commissariat d'Aubervilliers.", budget = 85000.00m,
        })).Then(HttpStatusCode.Created);
        return ((await created.Body<ProjectView>()).Project.Id, created.Response.Headers.ETag!.Tag);
    }

    /// <summary>A change that must succeed; returns the new ETag.</summary>
    public async Task<string> Post(HttpClient client, string path, object body, string etag) =>
        (await When(() => client.SendJson(HttpMethod.Post, path, body, etag)).Then(HttpStatusCode.NoContent)).Response.Headers.ETag?.Tag ?? etag;

    public Task<ProjectView> View(HttpClient client, Guid project) =>
        When(() => client.GetAsync($"/api/projects/{project}")).Then<ProjectView>(HttpStatusCode.OK);

    public async Task<HttpResponseMessage> Upload(HttpClient client, Guid project, byte[] bytes, string type, string name)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        return await client.PostAsync($"/api/projects/{project}/documents?fileName={Uri.EscapeDataString(name)}", content);
    }
}
