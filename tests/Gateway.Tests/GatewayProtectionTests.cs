using System.Net;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Xunit;

namespace Coordination.Gateway.Tests;

/// <summary>The gateway alone, with tight limits and backends that do not answer: what it refuses, it refuses itself.</summary>
public sealed class TightGateway : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Identity:Authority", TestTokens.Issuer);
        builder.UseSetting("RateLimits:PerUserPerSecond", "2");
        builder.UseSetting("RateLimits:PerAnonymousIpPerSecond", "2");
        builder.UseSetting("RateLimits:LoginsPerMinutePerIp", "3");
        foreach (var cluster in new[] { "identity", "directory", "dashboard", "referrals", "training", "projects" })
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:{cluster}-1:Address", "http://127.0.0.1:9/");
        builder.ConfigureTestServices(TestAuthentication.ValidateTestTokens);
    }
}

/// <summary>The gateway as configured by default (limits that do not get in the way of seven quick calls).</summary>
public sealed class DefaultGateway : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Identity:Authority", TestTokens.Issuer);
        builder.ConfigureTestServices(TestAuthentication.ValidateTestTokens);
    }
}

public class GatewayTokenTests(DefaultGateway gateway) : IClassFixture<DefaultGateway>
{
    [Theory]
    [InlineData("/api/directory/organisations")]
    [InlineData("/api/referrals/inbox")]
    [InlineData("/api/dashboard/organisations-by-departement")]
    public async Task The_gateway_refuses_the_seven_bad_tokens(string path)
    {
        var failures = new List<string>();
        foreach (var (why, token) in BadTokens.All())
        {
            var client = gateway.CreateClient();
            if (token is not null) client.As(token);
            var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.Unauthorized) failures.Add($"{why}: {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join(", ", failures));
    }
}

public class GatewayProtectionTests(TightGateway gateway) : IClassFixture<TightGateway>
{
    [Fact]
    public async Task Repeated_logins_from_one_address_are_slowed_with_429_in_french()
    {
        var client = gateway.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = "x", ["password"] = "y",
            }));
            statuses.Add(last.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(3));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[4]);
        Assert.Equal("Trop de requêtes", (await last.ReadJsonElement()).GetProperty("title").GetString());
        Assert.True(last.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task One_user_hammering_the_api_gets_429_another_user_is_not_affected()
    {
        var hammering = gateway.CreateClient().As(TestTokens.For(Roles.IscgWorker, Guid.NewGuid(), "hammer-1"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
            statuses.Add((await hammering.GetAsync("/api/directory/organisations")).StatusCode);
        var other = await gateway.CreateClient().As(TestTokens.For(Roles.IscgWorker, Guid.NewGuid(), "calm-1"))
            .GetAsync("/api/directory/organisations");

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_valid_token_are_refused_at_the_gateway()
    {
        var anonymous = await gateway.CreateClient().GetAsync("/api/referrals/inbox");
        var expired = await gateway.CreateClient().As(TestTokens.Expired(Roles.Admin)).GetAsync("/api/referrals/inbox");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task Cross_origin_requests_get_no_cors_permission()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/directory/organisations");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await gateway.CreateClient().SendAsync(preflight);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
