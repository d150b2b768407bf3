using Coordination.Authorization.Tests;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordination.Architecture.Tests;

/// <summary>
/// Every endpoint that a service maps has its row in the authorization matrix
/// (<c>tests/Authorization.Tests/AuthorizationMatrix.cs</c>), which then calls it as every kind of caller on real
/// servers. Here, without servers: a new endpoint fails in seconds until someone decides who may call it.
/// </summary>
public sealed class EndpointMatrixTests(ServiceHosts hosts) : IClassFixture<ServiceHosts>
{
    /// <summary>The portal's pages sign people in with a cookie and call the APIs, which the matrix covers.</summary>
    private static readonly string[] NotInTheMatrix = ["portal"];

    private static readonly string[] InTheMatrix = ["directory", "dashboard", "referrals", "identity", "training", "projects", "notifications", "gateway"];

    public static TheoryData<string> ServicesWithAnApi() => new(InTheMatrix);

    [Theory]
    [MemberData(nameof(ServicesWithAnApi))]
    public void Every_endpoint_has_a_row_in_the_authorization_matrix(string service)
    {
        var mapped = EndpointKeys(hosts[service].Services).ToHashSet();
        var inMatrix = AuthorizationMatrix.Rows.Where(r => r.Service == service).Select(r => r.Key).ToHashSet();

        Assert.NotEmpty(mapped);
        var missing = mapped.Except(inMatrix).Order().ToList();
        var stale = inMatrix.Except(mapped).Order().ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"{service}: endpoints without a row in AuthorizationMatrix.Rows: [{string.Join(", ", missing)}]; " +
            $"rows without an endpoint: [{string.Join(", ", stale)}]");
    }

    [Fact]
    public void Every_process_is_either_in_the_matrix_or_excused()
    {
        var checkedHere = InTheMatrix.Concat(NotInTheMatrix);

        Assert.Equal(hosts.All.Select(h => h.Name).Order(), checkedHere.Order());
    }

    /// <summary>"METHOD route-pattern", the matrix's key (ANY when the endpoint takes every method).</summary>
    public static IEnumerable<string> EndpointKeys(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(method => $"{method} {e.RoutePattern.RawText}"));
}
