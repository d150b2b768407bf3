using Coordination.Testing;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Operations.Tests;

/// <summary>
/// Schema changes are a step of their own in production: a service started in Production against a database its schema
/// was never applied to stops with a message naming <c>./coordination migrate</c> and a non-zero exit code; the same
/// service run with <c>--migrate</c> applies its schema and exits 0; then it starts and is ready.
/// </summary>
public sealed class SchemaMigrationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_service_started_against_an_unmigrated_database_stops_naming_the_migrate_command_and_starts_after_it()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("unmigrated_directory");
        var amqp = await TestInfrastructure.CreateVirtualHostAsync("unmigrated");
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:EventStore"] = database,
            ["ConnectionStrings:RabbitMq"] = amqp.ToString(),
            ["Identity:Authority"] = "http://127.0.0.1:9",
            ["Identity:RequireHttpsMetadata"] = "false",
        };
        await using var directory = new ServiceProcess("services/Directory", settings, "directory") { MigrateFirst = false };

        // Given an empty database, when the service starts in Production, then it stops and names the command.
        var refused = directory.RunToCompletion("", Timeout);
        output.WriteLine($"unmigrated start: exit {refused.ExitCode}\n{refused.Output}");
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("./coordination migrate", refused.Output);
        Assert.Equal(0, await Tables(database));

        // When it runs with --migrate, then it applies its schema and exits 0.
        var migrated = directory.RunToCompletion("--migrate", Timeout);
        output.WriteLine($"--migrate: exit {migrated.ExitCode}\n{migrated.Output}");
        Assert.Equal(0, migrated.ExitCode);
        Assert.Contains("schema directory applied", migrated.Output);
        Assert.True(await Tables(database) > 0, "--migrate created no table");

        // Then it starts and is ready.
        await directory.StartAsync(TimeSpan.FromSeconds(90));
        await directory.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    private static async Task<long> Tables(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'directory'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
