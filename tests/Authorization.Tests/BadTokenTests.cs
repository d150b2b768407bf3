using System.Net;
using System.Net.Http.Headers;
using Coordination.Testing;
using Xunit;

namespace Coordination.Authorization.Tests;

/// <summary>Each service refuses the eight bad tokens itself: the gateway is not trusted alone.</summary>
public class BadTokenTests(Targets targets) : IClassFixture<Targets>
{
    [Theory]
    [InlineData("directory", "/api/directory/organisations")]
    [InlineData("dashboard", "/api/dashboard/organisations-by-departement")]
    [InlineData("referrals", "/api/referrals/inbox")]
    [InlineData("training", "/api/training/sessions")]
    [InlineData("projects", "/api/projects")]
    public async Task Every_service_refuses_the_seven_bad_tokens(string service, string path)
    {
        var failures = new List<string>();
        foreach (var (why, token) in BadTokens.All())
        {
            var client = targets.Client(service, new Caller(null, Relation.Anonymous));
            if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.Unauthorized) failures.Add($"{why}: {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join(", ", failures));
    }
}
