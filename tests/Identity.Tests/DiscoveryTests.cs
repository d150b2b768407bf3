using System.Net;
using System.Text.Json;
using Coordination.Testing;
using Microsoft.AspNetCore.Hosting;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>The provider as a production deployment runs it: behind the platform's public address, no password grant.</summary>
public sealed class ProductionIdentityFactory : IdentityFactory
{
    public const string PublicOrigin = "https://coordination.example";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // A deployed environment that is neither Development nor Testing. Not "Production" itself: there the service also
        // refuses to start on a database `--migrate` has not prepared (SchemaMigrationTests), a step this fixture has no use for.
        builder.UseEnvironment("Staging");
        builder.UseSetting("Identity:PublicOrigin", PublicOrigin);
        builder.UseSetting("Identity:TokenStorage:CreateTables", "true"); // the deployment's migration step, here
    }
}

/// <summary>What a strict standard OpenID Connect client checks in discovery before it trusts a provider.</summary>
public class DiscoveryTests(ProductionIdentityFactory factory) : IClassFixture<ProductionIdentityFactory>
{
    [Fact]
    public async Task Discovery_names_the_public_address_as_issuer_and_every_endpoint_under_it_with_S256_only_and_no_password_grant()
    {
        var discovery = await (await factory.CreateClient().GetAsync("/.well-known/openid-configuration")).ReadJsonElement();

        var issuer = discovery.GetProperty("issuer").GetString()!;
        Assert.Equal(ProductionIdentityFactory.PublicOrigin + "/", issuer);
        var endpoints = discovery.EnumerateObject().Where(p => p.Name.EndsWith("_endpoint") || p.Name == "jwks_uri").ToList();
        Assert.Contains(endpoints, p => p.Name == "token_endpoint");
        Assert.All(endpoints, p => Assert.StartsWith(issuer, p.Value.GetString()));
        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));
        Assert.DoesNotContain("password", discovery.GetProperty("grant_types_supported").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task The_password_grant_is_refused_outside_development()
    {
        var response = await factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "camille", ["password"] = IdentityFactory.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await response.ReadJsonElement()).GetProperty("error").GetString());
    }
}
