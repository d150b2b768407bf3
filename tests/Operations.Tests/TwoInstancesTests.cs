using System.Net;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Operations.Tests;

/// <summary>
/// Scale-out as on Kubernetes (2 replicas): two processes of Referrals on one database and two of the Dashboard on
/// another, behind nothing but their own ports, on the real PostgreSQL and RabbitMQ. The deadline watchers of both
/// Referrals instances race on every passed deadline, yet each hand-off is flagged overdue exactly once; one
/// Dashboard instance is killed (SIGKILL) while hand-offs flow, then the Referrals instance running the outbox: the
/// other takes the outbox over, and the Dashboard still stores each hand-off exactly once.
/// </summary>
public sealed class TwoInstancesTests(ITestOutputHelper output)
{
    private const int Handoffs = 12;
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Two_instances_raise_each_deadline_once_and_the_dashboard_stores_each_handoff_once_while_instances_are_killed()
    {
        var directoryDb = await TestInfrastructure.CreateDatabaseAsync("scale_directory");
        var referralsDb = await TestInfrastructure.CreateDatabaseAsync("scale_referrals");
        var dashboardDb = await TestInfrastructure.CreateDatabaseAsync("scale_dashboard");
        var amqp = await TestInfrastructure.CreateVirtualHostAsync("scale");
        var processes = new List<ServiceProcess>();
        await using var issuer = await TestIssuer.StartAsync();
        try
        {
            // Application Name tells the instances apart in pg_stat_activity (for someone debugging the test).
            Dictionary<string, string> Settings(string db, string instance) => new()
            {
                ["ConnectionStrings:EventStore"] = $"{db};Application Name={instance}",
                ["ConnectionStrings:RabbitMq"] = amqp.ToString(),
                ["Identity:Authority"] = issuer.Address.ToString(),
                ["Identity:RequireHttpsMetadata"] = "false",
            };
            Dictionary<string, string> ReferralSettings(string instance)
            {
                var settings = Settings(referralsDb, instance);
                // Immediate hand-offs must be acknowledged within 5 s here (2 h in production); both watchers look
                // five times a second, so they meet on the same deadlines.
                settings["Referrals:Deadlines:Immediate:AcknowledgeWithin"] = "00:00:05";
                settings["Referrals:Deadlines:CheckEvery"] = "00:00:00.2";
                return settings;
            }

            var directory = Started(processes, new ServiceProcess("services/Directory", Settings(directoryDb, "directory"), "directory").Launch());
            var referralsA = Started(processes, new ServiceProcess("services/Referrals", ReferralSettings("referrals-a"), "referrals-a").Launch());
            var referralsB = Started(processes, new ServiceProcess("services/Referrals", ReferralSettings("referrals-b"), "referrals-b").Launch());
            var dashboardA = Started(processes, new ServiceProcess("services/Dashboard", Settings(dashboardDb, "dashboard-a"), "dashboard-a").Launch());
            var dashboardB = Started(processes, new ServiceProcess("services/Dashboard", Settings(dashboardDb, "dashboard-b"), "dashboard-b").Launch());
            await Task.WhenAll(processes.Select(p => p.WaitUntilReadyAsync(Start)));

            // Given two organisations registered in the Directory, known to Referrals through RabbitMQ
            var coordinator = Client(directory, TestTokens.For(Roles.NationalCoordinator));
            var post = await Register(coordinator, new
            {
                name = "Poste ISCG – Commissariat de Bobigny", kind = "iscgPost",
                iscgPost = new { setting = "police", employer = "departement", employerName = "Conseil départemental" },
                departements = new[] { "93" }, needs = new[] { "coordination--aide-aux-victimes" },
            });
            var association = await Register(coordinator, new
            {
                name = "France Victimes 93", kind = "victimSupportAssociation", departements = new[] { "93" },
                needs = new[] { "logement-hebergement--rechercher-une-solution-dhebergement-temporaire", "coordination--aide-aux-victimes" },
            });
            var worker = TestTokens.For(Roles.IscgWorker, post, "iscg-bobigny");
            var senders = new[] { Client(referralsA, worker), Client(referralsB, worker) };

            // When immediate hand-offs are sent through both instances, and halfway the Dashboard instance that runs
            // the async daemon (HotCold: it holds the advisory lock) is killed, while messages are being consumed
            var sent = new List<Guid>();
            ServiceProcess? survivor = null;
            for (var i = 0; i < Handoffs; i++)
            {
                if (i == Handoffs / 2)
                {
                    var hot = await LockHolder(dashboardDb);
                    var (victim, other) = hot == dashboardB.ProcessId ? (dashboardB, dashboardA) : (dashboardA, dashboardB);
                    victim.Kill();
                    survivor = other;
                    output.WriteLine($"{victim.Name} killed after {i} hand-offs (advisory lock holder: " +
                        (hot is null ? "none found" : hot == victim.ProcessId ? "this instance" : $"pid {hot}") + ")");
                }
                sent.Add(await Send(senders[i % 2], association));
            }
            Assert.True(referralsA.Running && referralsB.Running && survivor!.Running);


            // Then, once the deadlines have passed, each hand-off has exactly one ReferralOverdue in Referrals
            await Eventually(() => CountPerStream(referralsDb, "referrals", "referral_overdue"),
                counts => counts.Count == Handoffs, TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromSeconds(2)); // more passes of both watchers: still one each
            await AssertOncePerHandoff(referralsDb, "referrals", "referral_overdue", sent);

            // and the surviving Dashboard stored each hand-off, sent and overdue, exactly once
            await AssertOncePerHandoff(dashboardDb, "dashboard", "referrals.ReferralSent", sent);
            await AssertOncePerHandoff(dashboardDb, "dashboard", "referrals.ReferralOverdue", sent);

            // When the Referrals instance that runs the outbox (the daemon's advisory lock) is killed in turn,
            // and more hand-offs are sent through the other one
            var publisher = await LockHolder(referralsDb);
            var (deadReferrals, liveReferrals) = publisher == referralsB.ProcessId ? (referralsB, referralsA) : (referralsA, referralsB);
            deadReferrals.Kill();
            output.WriteLine($"{deadReferrals.Name} killed (advisory lock holder: " +
                (publisher is null ? "none found" : publisher == deadReferrals.ProcessId ? "this instance" : $"pid {publisher}") + ")");
            var survivorSender = Client(liveReferrals, worker);
            for (var i = 0; i < Handoffs / 2; i++)
                sent.Add(await Send(survivorSender, association));

            // Then the other instance takes the outbox over: every hand-off, old and new, reaches the Dashboard
            // once, and each new one is flagged overdue once
            await AssertOncePerHandoff(referralsDb, "referrals", "referral_overdue", sent);
            await AssertOncePerHandoff(dashboardDb, "dashboard", "referrals.ReferralSent", sent);
            await AssertOncePerHandoff(dashboardDb, "dashboard", "referrals.ReferralOverdue", sent);

            // and the receiving association reads its figures from the surviving instance: every hand-off, overdue
            var staff = Client(survivor, TestTokens.For(Roles.AssociationStaff, association, "aav-bobigny"));
            var activity = await staff.GetAsync("/api/dashboard/referral-activity");
            Assert.Equal(HttpStatusCode.OK, activity.StatusCode);
            var body = await activity.ReadJsonElement();
            output.WriteLine(body.ToString());
            Assert.Equal(sent.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("total").GetString());
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
            await TestInfrastructure.DeleteVirtualHostAsync(amqp);
            foreach (var db in new[] { directoryDb, referralsDb, dashboardDb })
                await TestInfrastructure.DropDatabaseAsync(db);
        }
    }

    private static ServiceProcess Started(List<ServiceProcess> all, ServiceProcess process)
    {
        all.Add(process);
        return process;
    }

    private static HttpClient Client(ServiceProcess process, string token) =>
        new HttpClient { BaseAddress = process.Address, Timeout = TimeSpan.FromSeconds(30) }.As(token);

    private static async Task<Guid> Register(HttpClient coordinator, object organisation)
    {
        var response = await coordinator.SendJson(HttpMethod.Post, "/api/directory/organisations", organisation);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonElement()).GetProperty("id").GetGuid();
    }

    /// <summary>Sends one immediate hand-off; until Referrals has heard of the receiver from the Directory, it answers 400.</summary>
    private static async Task<Guid> Send(HttpClient worker, Guid receiver)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await worker.SendJson(HttpMethod.Post, "/api/referrals", new
            {
                receiverOrganisationId = receiver,
                departement = "93",
                person = new { firstName = "Nadia", contact = new { kind = "phone", value = "06 12 34 56 78" }, ageBand = "from26To40", minorsInvolved = false },
                situation = "intrafamilyViolence",
                needs = new[] { "logement-hebergement--rechercher-une-solution-dhebergement-temporaire" },
                urgency = "immediate",
                consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
            });
            if (response.StatusCode == HttpStatusCode.Created)
                return (await response.ReadJsonElement()).GetProperty("id").GetGuid();
            if (response.StatusCode != HttpStatusCode.BadRequest || DateTime.UtcNow > deadline)
                Assert.Fail($"hand-off refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(250);
        }
    }

    /// <summary>Waits (30 s at most) until every hand-off has an event of that type, then checks it has exactly one.</summary>
    private static async Task AssertOncePerHandoff(string connectionString, string schema, string eventType, List<Guid> handoffs)
    {
        var counts = await Eventually(() => CountPerStream(connectionString, schema, eventType),
            c => c.Count >= handoffs.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(handoffs.Order(), counts.Keys.Order());
        Assert.All(counts, c => Assert.True(c.Value == 1, $"{eventType} stored {c.Value} times for {c.Key}"));
    }

    /// <summary>Events of one type per stream, read straight from a service's event store.</summary>
    private static async Task<Dictionary<Guid, int>> CountPerStream(string connectionString, string schema, string eventType)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT stream_id, count(*)::int FROM {schema}.mt_events WHERE type = @type GROUP BY stream_id", connection);
        command.Parameters.AddWithValue("type", eventType);
        var counts = new Dictionary<Guid, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            counts[reader.GetGuid(0)] = reader.GetInt32(1);
        return counts;
    }

    /// <summary>
    /// The process holding an advisory lock in that database (HotCold: the instance running the async daemon), if
    /// any: PostgreSQL gives the lock holder's client port, <c>ss</c> the local process owning that port.
    /// </summary>
    private static async Task<int?> LockHolder(string connectionString)
    {
        int? port;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database() LIMIT 1
                """, connection);
            port = await command.ExecuteScalarAsync() as int?;
        }
        if (port is null) return null;
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("ss", ["-Htnp", "state", "established", $"( sport = :{port} )"])
            { RedirectStandardOutput = true };
            using var ss = System.Diagnostics.Process.Start(start)!;
            var line = await ss.StandardOutput.ReadToEndAsync();
            await ss.WaitForExitAsync();
            var match = System.Text.RegularExpressions.Regex.Match(line, @"pid=(\d+)");
            return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no ss: kill either instance
        }
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
                return value;
            await Task.Delay(250);
        }
    }
}
