using System.Net;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;

namespace Coordination.Directory.Api.Tests;

/// <summary>The service validates tokens itself: it does not trust the gateway alone.</summary>
public class AuthenticationTests(DirectoryFactory factory) : IClassFixture<DirectoryFactory>
{
    public static TheoryData<string, string> BadTokens => new()
    {
        { "expired", TestTokens.Expired(Roles.Admin) },
        { "not yet valid", TestTokens.For(Roles.Admin, notBefore: DateTime.UtcNow.AddMinutes(10), validFor: TimeSpan.FromMinutes(20)) },
        { "wrong issuer", TestTokens.For(Roles.Admin, issuer: "https://impostor.example") },
        { "wrong audience", TestTokens.For(Roles.Admin, audience: "another-api") },
        { "bad signature", TestTokens.SignedByAnotherKey(Roles.Admin) },
        { "alg none", UnsignedToken() },
        { "garbage", "not-a-jwt" },
    };

    [Fact]
    public async Task A_request_without_a_token_is_401_problem()
    {
        var response = await factory.CreateClient().GetAsync("/api/directory/organisations");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Authentification requise", (await response.ReadJson<Problem>()).Title);
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_401(string why, string token)
    {
        var response = await factory.CreateClient().As(token).GetAsync("/api/directory/organisations");

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {response.StatusCode}");
    }

    [Fact]
    public async Task A_valid_token_that_does_not_say_who_acts_is_refused_everywhere()
    {
        var client = factory.CreateClient().As(TestTokens.For(Roles.Admin, withSubject: false));

        var register = await client.SendJson(HttpMethod.Post, "/api/directory/organisations", OrganisationRequests.Association());
        var search = await client.GetAsync("/api/directory/organisations");

        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, search.StatusCode);
    }

    [Fact]
    public async Task Health_and_liveness_are_anonymous_and_report_dependencies()
    {
        var client = factory.CreateClient();
        var health = await client.GetAsync("/health");
        var alive = await client.GetAsync("/alive");

        await health.HasStatus(HttpStatusCode.OK);
        await alive.HasStatus(HttpStatusCode.OK);
        var checks = (await health.ReadJson<HealthReport>()).Checks;
        Assert.Equal("Healthy", checks["postgresql"].Status);
        Assert.True(checks.ContainsKey("masstransit-bus"), string.Join(", ", checks.Keys));
    }

    [Fact]
    public async Task Answers_carry_security_headers_and_a_correlation_id()
    {
        var response = await factory.CreateClient().As(TestTokens.For(Roles.Admin)).GetAsync("/api/directory/reference/departements");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Matches("^[a-f0-9]{32}$", response.Headers.GetValues("X-Correlation-Id").Single());
    }

    private static string UnsignedToken()
    {
        static string B64(string s) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"sub\":\"x\",\"role\":\"admin\",\"iss\":\"{TestTokens.Issuer}\",\"aud\":\"{TestTokens.Audience}\",\"exp\":{exp}}}")}.";
    }
}
