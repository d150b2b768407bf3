using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Coordination.Benchmarks;

/// <summary>Runs psql / pgbench (from PATH) against the local server; never anything but loopback.</summary>
public static class Psql
{
    /// <summary>Unaligned, tuples-only output of <paramref name="sql"/>, or null when psql failed or timed out.</summary>
    public static async Task<string?> QueryAsync(BenchOptions options, string database, string sql, TimeSpan timeout)
    {
        var (exit, stdout, _) = await ProcessRunner.RunAsync("psql",
            ["-h", options.PgHost, "-p", options.PgPort.ToString(CultureInfo.InvariantCulture), "-U", options.PgUser, "-d", database,
             "-AtXq", "-v", "ON_ERROR_STOP=1", "-c", sql], timeout);
        return exit == 0 ? stdout.Trim() : null;
    }

    /// <summary>A single number <paramref name="sql"/> selects, or null when psql failed or timed out.</summary>
    public static async Task<long?> NumberAsync(BenchOptions options, string database, string sql, TimeSpan timeout) =>
        long.TryParse(await QueryAsync(options, database, sql, timeout), CultureInfo.InvariantCulture, out var n) ? n : null;

    public static async Task ExecAsync(BenchOptions options, string database, string sql)
    {
        var (exit, _, stderr) = await ProcessRunner.RunAsync("psql",
            ["-h", options.PgHost, "-p", options.PgPort.ToString(CultureInfo.InvariantCulture), "-U", options.PgUser, "-d", database,
             "-AtXq", "-v", "ON_ERROR_STOP=1", "-c", sql], TimeSpan.FromSeconds(60));
        if (exit != 0) throw new InvalidOperationException($"psql failed ({exit}) on: {sql}{Environment.NewLine}{stderr.Trim()}");
    }
}

public sealed record PgBenchResult(int Clients, double Seconds, double Tps, double LatencyAverageMs, long Transactions, long Failed,
    PhaseSystemSample? System);

/// <summary>
/// The machine's ceiling for the write the platform does most: one small transaction inserting ~1 KB of jsonb,
/// committed with fsync on (the server's settings, untouched). Scratch database, dropped afterwards.
/// </summary>
public static partial class PgBench
{
    // One per run, so that two runs on one server never drop each other's scratch database.
    public static readonly string Database = $"bench_pgbench_{Environment.ProcessId}";

    public static async Task<List<PgBenchResult>> RunAsync(BenchOptions options, TextWriter log, CancellationToken ct)
    {
        var results = new List<PgBenchResult>();
        var script = Path.Combine(Path.GetTempPath(), $"coordination-pgbench-{Environment.ProcessId}.sql");
        try
        {
            await Psql.ExecAsync(options, "postgres", $"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
            await Psql.ExecAsync(options, "postgres", $"CREATE DATABASE {Database}");
            await Psql.ExecAsync(options, Database, "CREATE TABLE t(id bigserial PRIMARY KEY, doc jsonb NOT NULL)");
            await File.WriteAllTextAsync(script, $"INSERT INTO t(doc) VALUES ('{OneKilobyteDocument()}');\n", ct);
            foreach (var clients in options.PgBenchClients)
            {
                ct.ThrowIfCancellationRequested();
                log.WriteLine($"  pgbench: {clients} client(s), {options.PgBenchSeconds:0} s …");
                using var sampler = new SystemSampler(options);
                sampler.StartOnce();
                var n = clients.ToString(CultureInfo.InvariantCulture);
                var (exit, stdout, stderr) = await ProcessRunner.RunAsync("pgbench",
                    ["-h", options.PgHost, "-p", options.PgPort.ToString(CultureInfo.InvariantCulture), "-U", options.PgUser,
                     "-c", n, "-j", n, "-T", options.PgBenchSeconds.ToString("0", CultureInfo.InvariantCulture), "-n", "-f", script, Database],
                    TimeSpan.FromSeconds(options.PgBenchSeconds + 60));
                var system = await sampler.StopAsync(TimeSpan.FromMilliseconds(300));
                if (exit != 0) throw new InvalidOperationException($"pgbench failed ({exit}): {stderr.Trim()}");
                results.Add(Parse(clients, options.PgBenchSeconds, stdout, system));
            }
        }
        finally
        {
            File.Delete(script);
            try { await Psql.ExecAsync(options, "postgres", $"DROP DATABASE IF EXISTS {Database} WITH (FORCE)"); }
            catch (InvalidOperationException e) { log.WriteLine($"  pgbench: could not drop {Database}: {e.Message}"); }
        }
        return results;
    }

    private static PgBenchResult Parse(int clients, double seconds, string output, PhaseSystemSample? system)
    {
        double Number(Regex regex) => regex.Match(output) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"unexpected pgbench output:{Environment.NewLine}{output}");
        var failed = FailedRegex().Match(output) is { Success: true } f ? long.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new PgBenchResult(clients, seconds, Math.Round(Number(TpsRegex()), 1), Number(LatencyRegex()),
            (long)Number(ProcessedRegex()), failed, system);
    }

    /// <summary>About 1 KB of JSON shaped like a referral event (ids, codes, dates, a note).</summary>
    public static string OneKilobyteDocument()
    {
        var doc = new StringBuilder(
            "{\"referralId\":\"01936f8e-0000-7000-8000-00000000abcd\",\"sender\":{\"userId\":\"0193a000-0000-7000-8000-0000000000aa\","
            + "\"organisationId\":\"0193a000-0000-7000-8000-000000000002\"},\"receiverOrganisationId\":\"0193a000-0000-7000-8000-000000000001\","
            + "\"departement\":\"93\",\"person\":{\"pseudonymousReference\":\"P-ABCD2345\",\"ageBand\":\"from26To40\",\"minorsInvolved\":false},"
            + "\"situation\":\"intrafamilyViolence\",\"needs\":[\"coordination--aide-aux-victimes\"],\"urgency\":\"standard\","
            + "\"at\":\"2026-01-15T10:00:00+00:00\",\"note\":\"");
        while (doc.Length < 1024 - 2) doc.Append('x');
        doc.Append("\"}");
        return doc.ToString();
    }

    [GeneratedRegex(@"^tps = ([0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex TpsRegex();

    [GeneratedRegex(@"^latency average = ([0-9.]+) ms", RegexOptions.Multiline)]
    private static partial Regex LatencyRegex();

    [GeneratedRegex(@"^number of transactions actually processed: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex ProcessedRegex();

    [GeneratedRegex(@"^number of failed transactions: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex FailedRegex();
}

public static class ProcessRunner
{
    /// <param name="environment">Variables added to this process's own for the child.</param>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["PGCONNECT_TIMEOUT"] = "3";
        info.Environment["PGAPPNAME"] = "coordination-benchmarks";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", $"{file}: {e.Message}");
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, await stdout, $"{file}: timed out after {timeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
