using Coordination.Testing;
using Coordination.Contracts.Directory;
using Coordination.ServiceDefaults.Security;
using MassTransit;
using Npgsql;
using Xunit;

namespace Coordination.Reliability.Tests;

/// <summary>
/// What the fault tests break: private PostgreSQL and RabbitMQ (see <see cref="PrivateServers"/>), Referrals
/// (the publisher) and the Dashboard (the consumer) as child processes on free ports, and a stub OIDC issuer.
/// Two organisations are made known to Referrals the way production learns them: Directory contracts on the bus.
/// </summary>
public sealed class FaultPlatform : IAsyncLifetime
{
    public static readonly Guid IscgPost = Guid.NewGuid();
    public static readonly Guid Association = Guid.NewGuid();

    public FaultPlatform()
    {
        Repository = LocalMachine.RepositoryRoot;
        Servers = new PrivateServers(Repository);
        Oidc = new OidcStub();
        settings = database => new()
        {
            ["ConnectionStrings__EventStore"] = Servers.Postgres(database),
            ["ConnectionStrings__RabbitMq"] = Servers.Amqp.ToString(),
            ["Identity__Authority"] = Oidc.Issuer,
            ["Identity__RequireHttpsMetadata"] = "false",
            ["OpenApi__Enabled"] = "true",
        };
        Referrals = Service("services/Referrals", "referrals");
        Dashboard = Service("services/Dashboard", "dashboard");
    }

    private readonly Func<string, Dictionary<string, string>> settings;

    /// <summary>A service process on the private servers (not started).</summary>
    public ServiceProcess Service(string folder, string database) =>
        new(folder, settings(database), logDirectory: Path.Combine(Servers.DataDirectory, "logs"));

    public string Repository { get; }
    public PrivateServers Servers { get; }
    public OidcStub Oidc { get; }
    public ServiceProcess Referrals { get; }
    public ServiceProcess Dashboard { get; }

    /// <summary>
    /// Every hand-off answered 201 so far, over all tests, recorded as each answer arrives: the Dashboard may hold
    /// these and nothing else. (Recorded at once, so that a test failing half-way does not fail the next ones.)
    /// </summary>
    public HashSet<Guid> Accepted { get; } = [];

    public void RecordAccepted(Guid id)
    {
        lock (Accepted) Accepted.Add(id);
    }

    public async Task InitializeAsync()
    {
        await Oidc.StartAsync();
        await Servers.StartAsync();
        await Task.WhenAll(Referrals.StartAsync(), Dashboard.StartAsync());

        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(Servers.Amqp));
        await bus.StartAsync();
        try
        {
            foreach (var (id, kind) in new[] { (IscgPost, OrganisationKinds.IscgPost), (Association, OrganisationKinds.VictimSupportAssociation) })
                await bus.Publish(new OrganisationRegistered(id, kind, null, null, ["93"], ["coordination--aide-aux-victimes"], true, 1, DateTimeOffset.UtcNow),
                    c => c.MessageId = Guid.NewGuid());
        }
        finally
        {
            await bus.StopAsync();
        }
        await Eventually(async () => await Scalar<long>("referrals",
            "SELECT count(*) FROM referrals.mt_doc_knownorganisation") == 2, TimeSpan.FromSeconds(30), "organisations known to Referrals");
    }

    /// <summary>
    /// Puts back whatever a test that failed half-way may have left broken (a server down, a service killed, a fault
    /// trigger holding the Dashboard's consumer, the broker's memory alarm), so that one failure does not fail the tests
    /// after it, and waits until nothing is on its way. Every fault test starts with it.
    /// </summary>
    public async Task HealAsync()
    {
        await Servers.RestartAsync(); // starts only what is down
        await Servers.RabbitMqCtl("set_vm_memory_high_watermark", "0.4");
        // A consumer held by the hold trigger keeps its lock on the table until its rows are gone: delete, then drop.
        await Sql("dashboard", "DO $$ BEGIN IF to_regclass('dashboard.faults_hold') IS NOT NULL THEN DELETE FROM dashboard.faults_hold; END IF; END $$;");
        await Sql("dashboard", """
            DROP TRIGGER IF EXISTS faults_hold_insert ON dashboard.mt_events;
            DROP FUNCTION IF EXISTS dashboard.faults_hold_insert();
            DROP TABLE IF EXISTS dashboard.faults_hold;
            DROP TRIGGER IF EXISTS faults_reject_referral_sent ON dashboard.mt_events;
            DROP FUNCTION IF EXISTS dashboard.faults_reject_referral_sent();
            """);
        foreach (var service in new[] { Referrals, Dashboard })
            if (!service.Running) await service.StartAsync();
        // Quiet: nothing of an earlier test still on its way, to be mistaken for this test's messages.
        await WaitUntilReferralsPublishedEverything(TimeSpan.FromSeconds(60));
    }

    public HttpClient Worker(TimeSpan? timeout = null) => Client(Referrals, Oidc.Token(Roles.IscgWorker, IscgPost, "iscg-faults"), timeout);

    public HttpClient Client(ServiceProcess service, string? token = null, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = service.Address, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public async Task<T> Scalar<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(Servers.Postgres(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task Sql(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(Servers.Postgres(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<T>> Column<T>(string database, string sql, params NpgsqlParameter[] parameters)
    {
        await using var connection = new NpgsqlConnection(Servers.Postgres(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
            values.Add(reader.GetFieldValue<T>(0));
        return values;
    }

    /// <summary>The referral ids the Dashboard's read model holds.</summary>
    public async Task<HashSet<Guid>> DashboardReferrals() =>
        [.. await Column<Guid>("dashboard", "SELECT id FROM dashboard.mt_doc_referralfacts")];

    /// <summary>Referrals whose ReferralSent the Dashboard stored more than once (a double count).</summary>
    public async Task<List<Guid>> DashboardDoubleCounts() =>
        await Column<Guid>("dashboard",
            "SELECT stream_id FROM dashboard.mt_events WHERE type = 'referrals.ReferralSent' GROUP BY stream_id HAVING count(*) > 1");

    public async Task<long> DashboardSentEvents() =>
        await Scalar<long>("dashboard", "SELECT count(*) FROM dashboard.mt_events WHERE type = 'referrals.ReferralSent'");

    /// <summary>
    /// Waits until the Dashboard holds every hand-off accepted by this test, then checks that it counted each hand-off
    /// once and holds none that Referrals did not accept. Returns how long the wait took.
    /// </summary>
    public async Task<TimeSpan> AssertDashboardCountsEachAcceptedOnce(IReadOnlyCollection<Guid> acceptedNow, TimeSpan timeout)
    {
        foreach (var id in acceptedNow) RecordAccepted(id);
        var started = DateTime.UtcNow;
        HashSet<Guid> seen = [];
        await Eventually(async () =>
        {
            seen = await DashboardReferrals();
            return acceptedNow.All(seen.Contains);
        }, timeout, () => $"{acceptedNow.Count(id => !seen.Contains(id))} of {acceptedNow.Count} accepted hand-offs missing from the Dashboard");
        var waited = DateTime.UtcNow - started;
        Assert.Empty(await DashboardDoubleCounts());
        Assert.Equal(seen.Count, await DashboardSentEvents());
        List<Guid> unknown;
        lock (Accepted) unknown = [.. seen.Where(id => !Accepted.Contains(id))];
        Assert.True(unknown.Count == 0, $"{unknown.Count} referral(s) in the Dashboard that Referrals never accepted");
        return waited;
    }

    /// <summary>
    /// Waits until Referrals' outbox subscription has published up to its last event and the Dashboard's queue is
    /// empty; returns the number of events of Referrals.
    /// </summary>
    public async Task<long> WaitUntilReferralsPublishedEverything(TimeSpan timeout)
    {
        long last = 0;
        await Eventually(async () =>
        {
            last = await Scalar<long>("referrals", "SELECT coalesce(max(seq_id), 0) FROM referrals.mt_events");
            var published = await Scalar<long>("referrals",
                "SELECT coalesce(max(last_seq_id), 0) FROM referrals.mt_event_progression WHERE name LIKE 'integration-events%'");
            // Neither waiting nor handed to the consumer and not yet acknowledged (the consumer acks after its commit).
            return published >= last && await QueueMessagesIncludingUnacknowledged("dashboard-referral-events") == 0;
        }, timeout, "Referrals' integration events all published and consumed");
        return last;
    }

    /// <summary>How many messages were ever delivered into a queue (management API; statistics lag by up to 5 s).</summary>
    public async Task<long> QueuePublishedCount(string queue)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Servers.ManagementPort}/") };
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("coordination:coordination")));
        var body = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"api/queues/%2F/{queue}")).RootElement;
        return body.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("publish", out var published) ? published.GetInt64() : 0;
    }

    /// <summary>Messages ready plus delivered and not yet acknowledged, as the broker's queue process knows them now.</summary>
    public async Task<long> QueueMessagesIncludingUnacknowledged(string queue)
    {
        var output = await Servers.RabbitMqCtlOutput("list_queues", "-q", "--no-table-headers", "name", "messages_ready", "messages_unacknowledged");
        var row = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t', ' ').Where(f => f.Length > 0).ToArray())
            .FirstOrDefault(fields => fields.Length == 3 && fields[0] == queue);
        return row is null ? 0 : long.Parse(row[1]) + long.Parse(row[2]);
    }

    /// <summary>Messages ready in a queue of the private broker.</summary>
    public async Task<uint> QueueDepth(string queue)
    {
        await using var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = Servers.Amqp }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // not declared yet (an error queue appears with its first message)
        }
    }

    public static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        await Eventually(condition, timeout, () => what);

    public static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // The thing probed may be down for a moment: that is what these tests do.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not in {timeout.TotalSeconds:0} s: {what()}");
            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        await Referrals.DisposeAsync();
        await Dashboard.DisposeAsync();
        try
        {
            await Servers.StopAsync();
        }
        finally
        {
            await Oidc.DisposeAsync();
            if (Environment.GetEnvironmentVariable("COORDINATION_FAULTS_KEEP") != "1")
                System.IO.Directory.Delete(Servers.DataDirectory, recursive: true);
        }
    }

}

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultPlatform>
{
    public const string Name = "faults";
}
