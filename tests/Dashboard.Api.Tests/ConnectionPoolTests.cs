using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// An operator sizing PostgreSQL sees each service as one pool: the event store, the views' SQL and the readiness check
/// draw on the same connections, all named after the service in <c>pg_stat_activity</c>.
/// </summary>
public class ConnectionPoolTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task The_store_the_views_and_the_readiness_check_use_one_pool_named_after_the_service()
    {
        // Something stored (the event store), a view computed (the views' SQL), the readiness check run.
        await factory.Services.GetRequiredService<IBus>().Publish(new OrganisationRegistered(
            Guid.NewGuid(), OrganisationKinds.IscgPost, null, "police", ["93"], [], true, 1, DateTimeOffset.UtcNow));
        var coordinator = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        await HttpClientExtensions.Eventually(() => Connections(), named => named.Count > 0, what: "the Dashboard's connections");
        await (await coordinator.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/dashboard/indicators/referrals")
        { Headers = { { "Cache-Control", "no-cache" } } })).HasStatus(HttpStatusCode.OK);
        var readiness = await factory.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Name == "postgresql");
        Assert.Equal(HealthStatus.Healthy, readiness.Status);

        var connections = await Connections();
        Assert.NotEmpty(connections);
        Assert.All(connections, name => Assert.Equal("coordination-dashboard", name));
    }

    /// <summary>The application names of every other connection to the Dashboard's database.</summary>
    private async Task<List<string>> Connections()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(factory.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }
}
