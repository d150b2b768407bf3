extern alias benchmarks;
using System.Net;
using System.Text.Json;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.EndToEnd.Tests;

/// <summary>
/// The platform with the benchmark's two accounts and organisations, taken from the demo data the benchmark runs
/// against (<c>infra/demo</c>), so that a change to either is caught here.
/// </summary>
public sealed class BenchmarkPlatformFixture : PlatformFixture
{
    public static readonly string[] BenchAccounts = ["bench.iscg", "bench.aav"];

    public static JsonElement[] DemoRecords(string file, Func<JsonElement, bool> keep)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(LocalMachine.RepositoryRoot, "infra", "demo", file)));
        return [.. doc.RootElement.EnumerateArray().Where(keep).Select(e => e.Clone())];
    }

    protected override IEnumerable<KeyValuePair<string, string?>> MoreIdentitySettings()
    {
        var accounts = DemoRecords("accounts.json", a => BenchAccounts.Contains(a.GetProperty("username").GetString()));
        Assert.Equal(BenchAccounts.Length, accounts.Length);
        // Index 0 is the fixture's coordinator.
        for (var i = 0; i < accounts.Length; i++)
            foreach (var field in accounts[i].EnumerateObject())
                yield return new($"Identity:Accounts:{i + 1}:{field.Name}", field.Value.GetString());
    }
}

/// <summary>
/// A smoke run of the hand-off benchmark (<c>infra/bench.sh</c>'s tool) with a tiny load, through a real gateway and
/// services over sockets, so that the tool cannot rot: every phase runs and every figure it reports is written.
/// Its figures are not judged here (performance is the benchmark's business, not the test suite's).
/// </summary>
public class BenchmarkSmokeTests(BenchmarkPlatformFixture platform, ITestOutputHelper output) : IClassFixture<BenchmarkPlatformFixture>
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_tiny_benchmark_run_measures_every_phase_and_writes_its_report()
    {
        await RegisterBenchOrganisationsAsync();
        var referrals = new NpgsqlConnectionStringBuilder(platform.ReferralsDatabase);
        var outDirectory = Directory.CreateTempSubdirectory("coordination-bench-smoke-").FullName;
        try
        {
            var (exit, stdout, stderr) = await RunBenchmarkAsync(
                "--gateway", platform.Gateway.Address.ToString(), "--direct", platform.Referrals.Address.ToString(),
                "--duration", "1", "--warmup", "0.5", "--platform-warmup", "1", "--clients", "1,4", "--rate", "20",
                "--inbox-samples", "5", "--inbox-rate", "10", "--pgbench-seconds", "1", "--pgbench-clients", "1",
                "--pg-port", referrals.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--referrals-db", referrals.Database!,
                "--dashboard-db", new NpgsqlConnectionStringBuilder(platform.DashboardDatabase).Database!,
                "--vhost", Uri.UnescapeDataString(platform.Amqp.AbsolutePath.TrimStart('/')),
                "--out", outDirectory);
            Assert.True(exit == 0, $"the benchmark exited with {exit}:\n{stderr}\n{stdout}");

            var json = Assert.Single(Directory.GetFiles(outDirectory, "referrals-*.json"));
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var root = report.RootElement;

            var levels = root.GetProperty("load").EnumerateArray()
                .Select(l => (Target: l.GetProperty("target").GetString(), Mode: l.GetProperty("mode").GetString(), Clients: l.GetProperty("clients").GetInt32(),
                    Created: l.GetProperty("created").GetInt32(), Errors: l.GetProperty("errors").GetInt32(),
                    P50: l.GetProperty("latency").GetProperty("p50Ms").GetDouble(),
                    Events: l.GetProperty("eventsAppended") is { ValueKind: JsonValueKind.Number } e ? e.GetInt64() : -1))
                .ToList();
            Assert.Equal(
                [("gateway", "closed loop", 1), ("direct", "closed loop", 1), ("gateway", "closed loop", 4), ("direct", "closed loop", 4),
                 ("gateway", "fixed rate", 0), ("direct", "fixed rate", 0)],
                levels.Select(l => (l.Target, l.Mode, l.Clients)).ToList());
            Assert.All(levels, l =>
            {
                Assert.True(l.Created > 0, $"{l.Target} {l.Mode} ×{l.Clients}: no hand-off created");
                Assert.Equal(0, l.Errors);
                Assert.True(l.P50 > 0);
                // A hand-off appends at least its drafted and sent events: the store's count for the window says so.
                if (l.Mode == "closed loop") Assert.True(l.Events >= 2 * l.Created, $"{l.Target} ×{l.Clients}: {l.Events} events for {l.Created} hand-offs");
            });

            // Every inbox sample is sent, found in the receiver's inbox and reaches the Dashboard's read model.
            var visibility = root.GetProperty("visibility");
            Assert.Equal(5, visibility.GetProperty("sent").GetInt32());
            Assert.Equal(5, visibility.GetProperty("visible").GetInt32());
            Assert.Equal(5, visibility.GetProperty("inDashboard").GetInt32());

            // The documents it counted are the hand-offs the platform stored: at least every one it reports as created.
            var created = levels.Sum(l => l.Created) + 5;
            var before = root.GetProperty("referralDocumentsBefore").GetInt64();
            var after = root.GetProperty("referralDocumentsAfter").GetInt64();
            Assert.True(after - before >= created, $"{after - before} new documents for {created} hand-offs reported");
            Assert.Equal(after, await CountReferralDocumentsAsync());

            var pgbench = Assert.Single(root.GetProperty("pgBench").EnumerateArray());
            Assert.True(pgbench.GetProperty("tps").GetDouble() > 0, "pgbench measured nothing");

            var markdown = await File.ReadAllTextAsync(Path.ChangeExtension(json, ".md"));
            foreach (var section in new[] { "## 1. Hand-off send", "## 2. Sent → visible", "## 3. pgbench ceiling", "## Gateway overhead", "## Event append rate", "## Peak resident memory" })
                Assert.Contains(section, markdown);
            Assert.Contains("Written:", stdout);
        }
        finally
        {
            Directory.Delete(outDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_platform_that_does_not_answer_is_a_clear_error()
    {
        var nobody = $"http://127.0.0.1:{LocalMachine.FreePort()}/";
        var (exit, _, stderr) = await RunBenchmarkAsync("--gateway", nobody, "--no-direct", "--quick");
        Assert.Equal(3, exit);
        Assert.Contains("the platform is not usable", stderr);
        Assert.Contains("./coordination up -d", stderr);
    }

    [Fact]
    public async Task A_wrong_option_is_a_usage_error()
    {
        var (exit, _, stderr) = await RunBenchmarkAsync("--gateway", "http://example.org/");
        Assert.Equal(2, exit);
        Assert.Contains("not a loopback address", stderr);
    }

    private async Task RegisterBenchOrganisationsAsync()
    {
        var coordinator = platform.GatewayClient().As(TestTokens.For(Roles.NationalCoordinator, issuer: platform.Issuer));
        var organisations = BenchmarkPlatformFixture.DemoRecords("organisations.json", o => o.GetProperty("name").GetString()!.StartsWith("Banc d'essai", StringComparison.Ordinal));
        Assert.Equal(2, organisations.Length);
        foreach (var organisation in organisations)
            await (await coordinator.SendJson(HttpMethod.Post, "/api/directory/organisations", organisation)).HasStatus(HttpStatusCode.Created);

        // Referrals learns organisations from the Directory's events, asynchronously; the benchmark itself stops at once
        // if its first hand-off is refused, so wait until the receiver is known.
        var sender = organisations.Single(o => o.GetProperty("kind").GetString() == "iscgPost").GetProperty("id").GetGuid();
        var receiver = organisations.Single(o => o.GetProperty("kind").GetString() == "victimSupportAssociation").GetProperty("id").GetGuid();
        var worker = platform.GatewayClient().As(TestTokens.For(Roles.IscgWorker, sender, issuer: platform.Issuer));
        var sent = await HttpClientExtensions.Eventually(() => worker.SendJson(HttpMethod.Post, "/api/referrals", new
        {
            receiverOrganisationId = receiver, departement = "75",
            person = new { ageBand = "from26To40", minorsInvolved = false },
            situation = "intrafamilyViolence", needs = new[] { "coordination--aide-aux-victimes" }, urgency = "standard",
            consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
        }), r => r.StatusCode != HttpStatusCode.BadRequest, TimeSpan.FromSeconds(30), "the benchmark's receiver known to Referrals");
        await sent.HasStatus(HttpStatusCode.Created);
    }

    private async Task<long> CountReferralDocumentsAsync()
    {
        await using var connection = new NpgsqlConnection(platform.ReferralsDatabase);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from referrals.mt_doc_referraldetails", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The tool as <c>infra/bench.sh</c> runs it (<c>dotnet Coordination.Benchmarks.dll …</c>), built next to this assembly,
    /// by its own process runner (exit -1 and "timed out" after <see cref="RunLimit"/>).
    /// </summary>
    private async Task<(int Exit, string Stdout, string Stderr)> RunBenchmarkAsync(params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "Coordination.Benchmarks.dll");
        Assert.True(File.Exists(tool), $"{tool} is missing: the test project references infra/Benchmarks");
        var endpoints = await TestInfrastructure.GetAsync();
        var environment = new Dictionary<string, string> { ["COORDINATION_RABBIT_MANAGEMENT"] = endpoints.Management.ToString() };
        if (new NpgsqlConnectionStringBuilder(endpoints.Postgres).Password is { Length: > 0 } password)
            environment["PGPASSWORD"] = password;

        var (exit, stdout, stderr) = await benchmarks::Coordination.Benchmarks.ProcessRunner.RunAsync("dotnet", [tool, .. args], RunLimit, environment);
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        return (exit, stdout, stderr);
    }
}
