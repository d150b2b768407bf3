using System.Net;
using System.Text;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;
using static Coordination.Directory.Api.Tests.OrganisationRequests;

namespace Coordination.Directory.Api.Tests;

public class OrganisationsApiTests(DirectoryFactory factory) : IClassFixture<DirectoryFactory>
{
    private const string Organisations = "/api/directory/organisations";

    private HttpClient Coordinator() => factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));

    private async Task<(Guid Id, string ETag)> Register(object body)
    {
        var response = await Coordinator().SendJson(HttpMethod.Post, Organisations, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.CreatedId(), response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task A_coordinator_registers_an_association_and_reads_it_back_with_its_version()
    {
        var response = await Coordinator().SendJson(HttpMethod.Post, Organisations, Association("France Victimes 93"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        var id = await response.CreatedId();
        Assert.Equal($"{Organisations}/{id}", response.Headers.Location!.OriginalString);

        var read = await Coordinator().GetAsync($"{Organisations}/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);
        var details = await read.ReadJson<OrganisationRead>();
        Assert.Equal(id, details.Id);
        Assert.Equal("France Victimes 93", details.Name);
        Assert.Equal("victimSupportAssociation", details.Kind);
        Assert.Equal(["93"], details.Departements);
        Assert.True(details.AcceptsReferrals);
        Assert.Equal(1, details.Version);
    }

    [Fact]
    public async Task Field_workers_cannot_register_organisations()
    {
        var response = await factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, Guid.NewGuid()))
            .SendJson(HttpMethod.Post, Organisations, Association());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Invalid_registration_names_each_bad_field_in_french_and_stores_nothing()
    {
        var name = $"Sans département {Guid.NewGuid():N}";
        var response = await Coordinator().SendJson(HttpMethod.Post, Organisations, new
        {
            name,
            kind = "partner",
            departements = new[] { "99X" },
            needs = Array.Empty<string>(),
            contact = new { email = "pas une adresse" },
        });

        await response.HasStatus(HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.ReadJson<Problem>()).Errors;
        Assert.NotNull(errors);
        Assert.Equal(["contact.email", "departements", "needs", "partnerNetwork"], errors.Keys.Order());
        Assert.Contains("99X", errors["departements"][0]);
        Assert.StartsWith("Indiquez au moins un besoin", errors["needs"][0]);
        Assert.StartsWith("Précisez le réseau", errors["partnerNetwork"][0]);
        Assert.NotEmpty(errors["contact.email"]);

        var search = await (await Coordinator().GetAsync($"{Organisations}?pageSize=100&kind=partner")).ReadJson<OrganisationsFound>();
        Assert.DoesNotContain(search.Items, o => o.Name == name);
    }

    [Theory]
    [InlineData("{\"name\": \"Sans fin\"", "body")]
    [InlineData("{\"name\": \"X\", \"kind\": \"club-de-foot\", \"departements\": [\"93\"], \"needs\": [\"sante--sante-mentale\"]}", "kind")]
    [InlineData("{\"name\": 42}", "name")]
    [InlineData("{\"nom\": \"champ inconnu\"}", "nom")]
    public async Task Malformed_json_is_a_400_problem_naming_the_field(string json, string field)
    {
        var response = await Coordinator().PostAsync(Organisations, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJson<Problem>();
        Assert.Equal(400, problem.Status);
        Assert.True(problem.Errors?.ContainsKey(field), $"errors should name '{field}': {problem.Detail} {string.Join(", ", problem.Errors?.Keys ?? [])}");
    }

    [Fact]
    public async Task Registering_the_same_id_twice_is_a_conflict_not_a_twin()
    {
        var id = Guid.NewGuid();
        await Register(Association(id: id));

        var again = await Coordinator().SendJson(HttpMethod.Post, Organisations, Association(id: id));

        await again.HasStatus(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Staff_close_their_own_organisation_to_referrals_with_if_match()
    {
        var (id, etag) = await Register(Partner("CCAS de Montreuil", "ccas-cias", "93"));
        var staff = factory.CreateClient().As(TestTokens.For(Roles.PartnerStaff, id));

        var response = await staff.SendJson(HttpMethod.Put, $"{Organisations}/{id}/referral-capacity",
            new { acceptsReferrals = false, note = "Fermé pendant les congés" }, ifMatch: etag);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag!.Tag);
        var details = await (await staff.GetAsync($"{Organisations}/{id}")).ReadJson<OrganisationRead>();
        Assert.False(details.AcceptsReferrals);
        Assert.Equal("Fermé pendant les congés", details.CapacityNote);
    }

    [Fact]
    public async Task Staff_of_another_organisation_cannot_change_it()
    {
        var (id, etag) = await Register(Partner("CHRS Les Tilleuls", "chrs", "93"));
        var outsider = factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, Guid.NewGuid()));

        var response = await outsider.SendJson(HttpMethod.Put, $"{Organisations}/{id}/referral-capacity",
            new { acceptsReferrals = false }, ifMatch: etag);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_stale_version_is_refused_with_412_and_a_missing_one_with_428()
    {
        var (id, etag) = await Register(Association());
        var coverage = new { departements = new[] { "93", "94" }, needs = new[] { Violence } };
        Assert.Equal(HttpStatusCode.NoContent,
            (await Coordinator().SendJson(HttpMethod.Put, $"{Organisations}/{id}/coverage", coverage, ifMatch: etag)).StatusCode);

        var stale = await Coordinator().SendJson(HttpMethod.Put, $"{Organisations}/{id}/coverage",
            new { departements = new[] { "75" }, needs = new[] { Violence } }, ifMatch: etag);
        var missing = await Coordinator().SendJson(HttpMethod.Put, $"{Organisations}/{id}/coverage", coverage);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("modifiée entre-temps", (await stale.ReadJson<Problem>()).Detail);
        Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        var details = await (await Coordinator().GetAsync($"{Organisations}/{id}")).ReadJson<OrganisationRead>();
        Assert.Equal(["93", "94"], details.Departements);
    }

    [Fact]
    public async Task Two_simultaneous_changes_on_the_same_version_one_wins_the_other_gets_412()
    {
        var (id, etag) = await Register(Association());
        var first = Coordinator().SendJson(HttpMethod.Put, $"{Organisations}/{id}/coverage",
            new { departements = new[] { "93", "94" }, needs = new[] { Violence } }, ifMatch: etag);
        var second = Coordinator().SendJson(HttpMethod.Put, $"{Organisations}/{id}/coverage",
            new { departements = new[] { "93", "95" }, needs = new[] { Violence } }, ifMatch: etag);

        var statuses = (await Task.WhenAll(first, second)).Select(r => r.StatusCode).Order().ToList();

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.PreconditionFailed], statuses);
        var details = await (await Coordinator().GetAsync($"{Organisations}/{id}")).ReadJson<OrganisationRead>();
        Assert.Equal(2, details.Version);
    }

    [Fact]
    public async Task A_deactivated_organisation_leaves_the_search_and_refuses_changes_with_409()
    {
        var (id, etag) = await Register(Partner("Bailleur social imaginaire", "ccas-cias", "2A"));

        var deactivation = await Coordinator().SendJson(HttpMethod.Post, $"{Organisations}/{id}/deactivation",
            new { reason = "Structure fermée" }, ifMatch: etag);
        var change = await Coordinator().SendJson(HttpMethod.Put, $"{Organisations}/{id}/referral-capacity",
            new { acceptsReferrals = true }, ifMatch: deactivation.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.NoContent, deactivation.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, change.StatusCode);
        Assert.Contains("désactivée", (await change.ReadJson<Problem>()).Detail);
        var search = await (await Coordinator().GetAsync($"{Organisations}?departement=2A")).ReadJson<OrganisationsFound>();
        Assert.DoesNotContain(search.Items, o => o.Id == id);
    }

    [Fact]
    public async Task Search_finds_by_departement_need_kind_and_referral_capacity()
    {
        var departement = "48"; // Lozère: nobody else in these tests uses it
        var (chrs, _) = await Register(Partner("CHRS de Mende", "chrs", departement));
        var (closed, _) = await Register(Partner("CCAS de Mende", "ccas-cias", departement, accepts: false));
        await Register(IscgPost("ISCG gendarmerie de Mende", departement));

        var open = await (await (await Coordinator().GetAsync(
            $"{Organisations}?departement={departement}&need={EmergencyHousing}&kind=partner&acceptingReferrals=true")).HasStatus(HttpStatusCode.OK)).ReadJson<OrganisationsFound>();
        var all = await (await (await Coordinator().GetAsync($"{Organisations}?departement={departement}")).HasStatus(HttpStatusCode.OK)).ReadJson<OrganisationsFound>();

        Assert.Equal([chrs], open.Items.Select(o => o.Id));
        Assert.Equal(3, all.Total);
        Assert.Contains(all.Items, o => o.Id == closed);
    }

    [Fact]
    public async Task Search_parameters_are_validated()
    {
        var response = await Coordinator().GetAsync($"{Organisations}?departement=000&pageSize=1000");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJson<Problem>()).Errors;
        Assert.NotNull(errors);
        Assert.Contains("departement", errors.Keys);
        Assert.Contains("pageSize", errors.Keys);
    }

    [Fact]
    public async Task An_unknown_organisation_is_404_problem()
    {
        var response = await Coordinator().GetAsync($"{Organisations}/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Ressource introuvable", (await response.ReadJson<Problem>()).Title);
    }

    [Fact]
    public async Task Reference_vocabularies_are_served()
    {
        var departements = await (await Coordinator().GetAsync("/api/directory/reference/departements")).ReadJson<ReferenceEntry[]>();
        var needs = await (await Coordinator().GetAsync("/api/directory/reference/needs")).ReadJson<ReferenceEntry[]>();

        Assert.Contains(new ReferenceEntry("2A", "Corse-du-Sud"), departements);
        Assert.Contains(needs, n => n.Code == "coordination--mise-en-securite");
    }
}
