using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Coordination.EndToEnd.Tests;

public class ThroughTheGatewayTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private Task<string> Login() => platform.CoordinatorAccessToken();

    /// <summary>The national view of organisations per département, as the Dashboard answers it.</summary>
    private sealed record OrganisationsByDepartement(IReadOnlyList<OrganisationsByDepartement.Row> Rows, DateTimeOffset? AsOf)
    {
        public sealed record Row(string DepartementName, string Kind, [property: System.Text.Json.Serialization.JsonRequired] int Organisations);
    }

    private sealed record Departement(string Code);

    [Fact]
    public async Task An_organisation_registered_through_the_gateway_appears_in_the_dashboard_through_the_gateway()
    {
        var client = platform.GatewayClient().As(await Login());

        var registered = await client.SendJson(HttpMethod.Post, "/api/directory/organisations", new
        {
            name = "ISCG commissariat d'Ajaccio",
            kind = "iscgPost",
            iscgPost = new { setting = "police", employer = "departement" },
            departements = new[] { "2A" },
            needs = new[] { "famille--surmonter-conflits-separation-violence" },
        });
        await registered.HasStatus(HttpStatusCode.Created);

        var view = await HttpClientExtensions.Eventually(
            async () => await (await client.GetAsync("/api/dashboard/organisations-by-departement?departement=2A")).ReadJson<OrganisationsByDepartement>(),
            v => v.Rows.Count == 1, TimeSpan.FromSeconds(30), "registration reached the dashboard");
        var row = view.Rows[0];
        Assert.Equal("Corse-du-Sud", row.DepartementName);
        Assert.Equal("iscg-post", row.Kind);
        Assert.Equal(1, row.Organisations);
        Assert.NotNull(view.AsOf);
    }

    [Fact]
    public async Task An_open_dashboard_hears_of_new_facts_live_through_the_gateway()
    {
        var client = platform.GatewayClient().As(await Login());
        Task<HttpResponseMessage> Register(string departement) => client.SendJson(HttpMethod.Post, "/api/directory/organisations", new
        {
            name = $"Association d'aide aux victimes ({departement})",
            kind = "victimSupportAssociation",
            departements = new[] { departement },
            needs = new[] { "famille--surmonter-conflits-separation-violence" },
        });
        // Something stored first, so that the stream opens with the current state (four lines) before anything new.
        await (await Register("48")).HasStatus(HttpStatusCode.Created);
        await HttpClientExtensions.Eventually(
            async () => (await (await client.GetAsync("/api/dashboard/organisations-by-departement?departement=48")).ReadJson<OrganisationsByDepartement>()).Rows.Count,
            rows => rows > 0, TimeSpan.FromSeconds(30), "first registration stored by the dashboard");

        using var stream = await client.GetAsync("/api/dashboard/changes", HttpCompletionOption.ResponseHeadersRead);
        await stream.HasStatus(HttpStatusCode.OK);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The feed opens with a keep-alive that sets the browser's reconnection delay, then the current state.
        Assert.Contains("retry: 5000", await reader.NextEventAsync(timeout.Token));
        var current = await NextChangeAsync(reader, timeout.Token);

        await (await Register("23")).HasStatus(HttpStatusCode.Created);

        long next;
        do next = await NextChangeAsync(reader, timeout.Token);
        while (next <= current);
    }

    /// <summary>The sequence number of the next "changed" event (keep-alives passed over).</summary>
    private static async Task<long> NextChangeAsync(StreamReader reader, CancellationToken ct)
    {
        var block = await reader.NextEventAsync("changed", ct);
        Assert.NotEqual("", block); // the stream ended before a change came
        return long.Parse(block.Split('\n').Single(line => line.StartsWith("id: ", StringComparison.Ordinal))["id: ".Length..]);
    }

    [Fact]
    public async Task No_token_or_an_expired_token_is_refused_at_the_gateway_and_at_the_service()
    {
        var expired = TestTokens.For(Roles.NationalCoordinator, validFor: TimeSpan.FromMinutes(-5), issuer: platform.Issuer);
        var valid = TestTokens.For(Roles.NationalCoordinator, issuer: platform.Issuer);
        var direct = new HttpClient { BaseAddress = platform.Directory.Address };
        const string path = "/api/directory/organisations";

        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.GatewayClient().GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.GatewayClient().As(expired).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await direct.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = platform.Directory.Address }.As(expired).GetAsync(path)).StatusCode);
        // The same key and issuer, still valid: accepted at both, so the refusals above were about the token.
        await (await platform.GatewayClient().As(valid).GetAsync(path)).HasStatus(HttpStatusCode.OK);
        await (await new HttpClient { BaseAddress = platform.Directory.Address }.As(valid).GetAsync(path)).HasStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_account_get_the_same_answer()
    {
        async Task<string> Attempt(string username, string password)
        {
            var response = await platform.PasswordGrant(username, password);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        var wrongPassword = await Attempt(PlatformFixture.CoordinatorUsername, "faux");
        var unknown = await Attempt("personne", "faux");

        Assert.Equal("invalid_grant", JsonSerializer.Deserialize<TokenAnswer>(wrongPassword, HttpClientExtensions.JsonOptions)!.Error);
        Assert.Equal(wrongPassword, unknown);
    }

    [Fact]
    public async Task The_gateway_refuses_oversized_bodies_and_adds_security_headers_and_correlation_ids()
    {
        var client = platform.GatewayClient().As(await Login());
        var huge = new StringContent("{\"name\": \"" + new string('a', 300 * 1024) + "\"}", Encoding.UTF8, "application/json");

        var tooLarge = await client.PostAsync("/api/directory/organisations", huge);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/directory/reference/departements");
        request.Headers.Add("X-Correlation-Id", "e2e-correlation-0001");
        var ok = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        await ok.HasStatus(HttpStatusCode.OK);
        Assert.Equal("e2e-correlation-0001", ok.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Equal("nosniff", ok.Headers.GetValues("X-Content-Type-Options").First());
        Assert.Contains(new Departement("971"), await ok.ReadJson<Departement[]>());
    }
}
