using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Operations.Tests;

/// <summary>
/// A broker node lost with its quorum queue's leader: the three-node cluster of infra/rabbitmq-cluster.sh (started
/// here if it is not running, stopped afterwards), the Dashboard connected to node 2 (so its queue's leader is there),
/// the Directory publishing through node 3. Node 2 is killed (SIGKILL), organisations are registered meanwhile, the
/// node comes back: every organisation reaches the Dashboard once.
/// </summary>
public sealed class RabbitMqClusterTests(ITestOutputHelper output)
{
    private const string Queue = "dashboard-directory-events";
    private static readonly string Script = Path.Combine(LocalMachine.RepositoryRoot, "infra", "rabbitmq-cluster.sh");

    [Fact]
    public async Task Organisations_registered_while_the_queue_leaders_node_is_down_reach_the_dashboard_once_it_is_back()
    {
        var startedHere = !await Answers(56801);
        if (startedHere)
            output.WriteLine(await Run("start"));
        var directoryDb = await TestInfrastructure.CreateDatabaseAsync("mq_directory");
        var dashboardDb = await TestInfrastructure.CreateDatabaseAsync("mq_dashboard");
        var vhost = $"cluster-{Guid.NewGuid():N}";
        using var management = Management();
        (await management.PutAsync($"api/vhosts/{vhost}", Json("{}"))).EnsureSuccessStatusCode();
        (await management.PutAsync($"api/permissions/{vhost}/coordination", Json("""{"configure":".*","write":".*","read":".*"}"""))).EnsureSuccessStatusCode();
        var processes = new List<ServiceProcess>();
        await using var issuer = await TestIssuer.StartAsync();
        try
        {
            Dictionary<string, string> Settings(string db, int node) => new()
            {
                ["ConnectionStrings:EventStore"] = db,
                ["ConnectionStrings:RabbitMq"] = $"amqp://coordination:coordination@127.0.0.1:{56800 + node}/{vhost}",
                ["Identity:Authority"] = issuer.Address.ToString(),
                ["Identity:RequireHttpsMetadata"] = "false",
            };
            var dashboard = new ServiceProcess("services/Dashboard", Settings(dashboardDb, 2), "dashboard").Launch();
            processes.Add(dashboard);
            await dashboard.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            var directory = new ServiceProcess("services/Directory", Settings(directoryDb, 3), "directory").Launch();
            processes.Add(directory);
            await directory.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));

            // Given the Dashboard's quorum queue, replicated on the three nodes, led from node 2
            using var queue = JsonDocument.Parse(await management.GetStringAsync($"api/queues/{vhost}/{Queue}"));
            Assert.Equal("quorum", queue.RootElement.GetProperty("type").GetString());
            Assert.Equal(3, queue.RootElement.GetProperty("members").GetArrayLength());
            output.WriteLine($"leader before: {queue.RootElement.GetProperty("leader").GetString()}");

            // When node 2 dies and organisations are registered meanwhile
            output.WriteLine(await Run("kill", "2"));
            var coordinator = new HttpClient { BaseAddress = directory.Address }.As(TestTokens.For(Roles.NationalCoordinator));
            var ids = new List<Guid>();
            for (var i = 0; i < 5; i++)
            {
                var created = await coordinator.SendJson(HttpMethod.Post, "/api/directory/organisations", new
                {
                    name = $"Association {i}", kind = "victimSupportAssociation", departements = new[] { "93" },
                    needs = new[] { "coordination--aide-aux-victimes" },
                });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                ids.Add((await created.ReadJsonElement()).GetProperty("id").GetGuid());
            }
            // the queue gets a new leader and keeps every message (published through node 3, confirmed)
            var depth = 0;
            for (var deadline = DateTime.UtcNow.AddSeconds(30); depth < ids.Count && DateTime.UtcNow < deadline; await Task.Delay(500))
            {
                using var q = JsonDocument.Parse(await management.GetStringAsync($"api/queues/{vhost}/{Queue}"));
                depth = q.RootElement.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : 0;
                output.WriteLine($"leader during: {q.RootElement.GetProperty("leader").GetString()}, messages: {depth}");
            }
            Assert.Equal(ids.Count, depth);

            // Then, once node 2 is back, the Dashboard reconnects and stores each organisation once
            output.WriteLine(await Run("start-node", "2"));
            var stored = new Dictionary<Guid, int>();
            for (var deadline = DateTime.UtcNow.AddSeconds(60); stored.Count < ids.Count && DateTime.UtcNow < deadline; await Task.Delay(500))
                stored = await CountPerStream(dashboardDb, "directory.organisation_registered");
            Assert.Equal(ids.Order(), stored.Keys.Order());
            Assert.All(stored.Values, count => Assert.Equal(1, count));
        }
        catch
        {
            foreach (var p in processes)
                output.WriteLine($"--- {p.Name} ---\n{p.Tail()}");
            throw;
        }
        finally
        {
            foreach (var p in processes)
                await p.DisposeAsync();
            if (!await Answers(56802))
                await Run("start-node", "2");
            await management.DeleteAsync($"api/vhosts/{vhost}");
            await TestInfrastructure.DropDatabaseAsync(directoryDb);
            await TestInfrastructure.DropDatabaseAsync(dashboardDb);
            if (startedHere)
                await Run("stop");
        }
    }

    private static async Task<string> Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmq-cluster.sh {string.Join(' ', arguments)}: {await stderr}{await stdout}");
        return (await stdout).Trim();
    }

    private static async Task<bool> Answers(int port)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>The management API of node 1 (never killed here).</summary>
    private static HttpClient Management()
    {
        var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:15801/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("coordination:coordination")));
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<Dictionary<Guid, int>> CountPerStream(string connectionString, string eventType)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT stream_id, count(*)::int FROM dashboard.mt_events WHERE type = @type GROUP BY stream_id", connection);
        command.Parameters.AddWithValue("type", eventType);
        var counts = new Dictionary<Guid, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            counts[reader.GetGuid(0)] = reader.GetInt32(1);
        return counts;
    }
}
