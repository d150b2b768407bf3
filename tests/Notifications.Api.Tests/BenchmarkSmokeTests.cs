extern alias benchmarks;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Coordination.Testing;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// A smoke run of the notifications benchmark (<c>infra/bench-notifications.sh</c>'s tool) with a tiny load, against a
/// Notifications started as its own process (as the script starts it) on a fresh database and virtual host, sending to a
/// private smtp4dev: so that the tool cannot rot. Every e-mail is accounted for; the speed figures are not judged here.
/// </summary>
public class BenchmarkSmokeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_tiny_run_times_every_e_mail_from_its_event_and_writes_its_report()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("notifybench");
        var amqp = await TestInfrastructure.CreateVirtualHostAsync("notifybench");
        await using var mail = new TestMailServer();
        await mail.StartAsync();
        var notifications = new ServiceProcess("services/Notifications", new Dictionary<string, string>
        {
            ["ConnectionStrings:EventStore"] = database,
            ["ConnectionStrings:RabbitMq"] = amqp.ToString(),
            ["ConnectionStrings:Smtp"] = mail.SmtpConnectionString,
        }, "notifications-bench");
        var outDirectory = Directory.CreateTempSubdirectory("coordination-notifybench-smoke-").FullName;
        try
        {
            notifications.Launch();
            await notifications.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));

            var (exit, stdout, stderr) = await RunBenchmarkAsync(
                "--notifications", notifications.Address.ToString(), "--amqp", amqp.ToString(), "--mail-api", mail.ApiAddress.ToString(),
                "--smtp", mail.SmtpConnectionString, "--rate", "10", "--duration", "2", "--warmup", "1", "--ceiling", "5",
                "--settle", "120", "--pg-port", new NpgsqlConnectionStringBuilder(database).Port.ToString(CultureInfo.InvariantCulture),
                "--out", outDirectory);
            Assert.True(exit == 0, $"the benchmark exited with {exit}:\n{stderr}\n{stdout}");

            var json = Assert.Single(Directory.GetFiles(outDirectory, "notifications-*.json"));
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var root = report.RootElement;
            // 2 s at 10/s measured after 1 s: each event e-mailed once to the one staff account, none lost, none doubled.
            Assert.Equal(20, root.GetProperty("published").GetInt32());
            Assert.Equal(10, root.GetProperty("publishedWarmup").GetInt32());
            Assert.Equal(0, root.GetProperty("publishErrors").GetInt32());
            Assert.Equal(20, root.GetProperty("expected").GetInt32());
            Assert.Equal(20, root.GetProperty("received").GetInt32());
            Assert.Equal(0, root.GetProperty("missing").GetInt32());
            Assert.Equal(0, root.GetProperty("warmupMissing").GetInt32());
            Assert.Equal(0, root.GetProperty("duplicates").GetInt32());
            var latency = root.GetProperty("publishedToAccepted");
            Assert.Equal(20, latency.GetProperty("count").GetInt32());
            Assert.True(latency.GetProperty("minMs").GetDouble() > 0, "an e-mail accepted before its event was published: clocks crossed");
            Assert.True(latency.GetProperty("p99Ms").GetDouble() >= latency.GetProperty("p50Ms").GetDouble());

            // The process it watched is the one started here, and its memory was read.
            var memory = root.GetProperty("memory");
            Assert.Equal(notifications.ProcessId, memory.GetProperty("processId").GetInt32());
            Assert.True(memory.GetProperty("peakSampledMb").GetDouble() > 0);
            // Not compared with the samples: Linux folds per-thread RSS counters into the high-water mark lazily, so a sample
            // can exceed it by a few pages (the verdict takes the larger of the two).
            Assert.True(memory.GetProperty("highWaterMarkMb").GetDouble() > 0);
            Assert.Equal(5, root.GetProperty("mailServerAlone").GetProperty("mails").GetInt32());

            // What the mail server holds agrees: 30 benchmark e-mails (warm-up included) and the 5 of the ceiling.
            var held = await mail.MessagesAsync();
            Assert.Equal(30, held.Count(m => m.To.Any(t => t.StartsWith("notifybench-", StringComparison.Ordinal)) && !m.Subject.Contains("7F0000", StringComparison.Ordinal)));
            Assert.Equal(5, held.Count(m => m.To.Any(t => t.StartsWith("plafond-", StringComparison.Ordinal))));

            var markdown = await File.ReadAllTextAsync(Path.ChangeExtension(json, ".md"));
            foreach (var section in new[] { "# Notifications benchmark", "**Target**", "## Latency", "## Counts, memory, machine", "Clock:" })
                Assert.Contains(section, markdown);
            Assert.Contains("Written:", stdout);
        }
        finally
        {
            Directory.Delete(outDirectory, recursive: true);
            await notifications.DisposeAsync();
            await TestInfrastructure.DeleteVirtualHostAsync(amqp);
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task A_notifications_service_that_does_not_answer_is_a_clear_error()
    {
        var nobody = $"http://127.0.0.1:{LocalMachine.FreePort()}/";
        var (exit, _, stderr) = await RunBenchmarkAsync("--notifications", nobody, "--quick");
        Assert.Equal(3, exit);
        Assert.Contains("not usable", stderr);
    }

    [Fact]
    public async Task A_wrong_option_is_a_usage_error()
    {
        var (exit, _, stderr) = await RunBenchmarkAsync("--mail-api", "http://example.org/");
        Assert.Equal(2, exit);
        Assert.Contains("not a loopback address", stderr);
    }

    /// <summary>
    /// The tool as the scripts run it (<c>dotnet Coordination.Benchmarks.dll notifications …</c>), from its own build output
    /// (the test project references it, so it is built first): the copy next to this assembly would run with this test
    /// project's versions of the shared Microsoft.Extensions libraries, with which MassTransit's bus never connects.
    /// </summary>
    private async Task<(int Exit, string Stdout, string Stderr)> RunBenchmarkAsync(params string[] args)
    {
        var configuration = typeof(BenchmarkSmokeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var tool = Path.Combine(LocalMachine.RepositoryRoot, "infra", "Benchmarks", "bin", configuration, "net10.0", "Coordination.Benchmarks.dll");
        Assert.True(File.Exists(tool), $"{tool} is missing: the test project references infra/Benchmarks, build it");
        var environment = new Dictionary<string, string>();
        var endpoints = await TestInfrastructure.GetAsync();
        if (new NpgsqlConnectionStringBuilder(endpoints.Postgres).Password is { Length: > 0 } password)
            environment["PGPASSWORD"] = password;
        var (exit, stdout, stderr) = await benchmarks::Coordination.Benchmarks.ProcessRunner.RunAsync("dotnet", [tool, "notifications", .. args], RunLimit, environment);
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        return (exit, stdout, stderr);
    }
}
