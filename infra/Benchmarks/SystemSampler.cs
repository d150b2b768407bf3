using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Coordination.Benchmarks;

/// <summary>CPU of one group of processes over a phase, in % of one core (the machine has Environment.ProcessorCount).</summary>
public sealed record ProcessCpu(string Name, double CpuPercentOfOneCore);

/// <summary>
/// What the machine did during one measured window: whole-machine CPU busy %, CPU per process group (from
/// /proc, processes alive at both ends of the window), and PostgreSQL's active backends by wait event,
/// sampled once a second (an active backend without a wait event is running on CPU).
/// </summary>
public sealed record PhaseSystemSample(
    double Seconds, double MachineBusyPercent, List<ProcessCpu> Processes, int WaitSamples, Dictionary<string, int> ActiveBackendsByWait,
    double MeanActiveBackends);

public sealed class SystemSampler(BenchOptions options) : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private int started;
    private long startTimestamp;
    private Dictionary<int, (string Name, long Ticks)>? startCpu;
    private (long Busy, long Total)? startMachine;
    private Task<(int Samples, Dictionary<string, int> Waits, int ActiveTotal)>? waits;

    /// <summary>Takes the first snapshot (only the first call counts: several workers may call it).</summary>
    public void StartOnce()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref started, 1) == 1) return;
        startTimestamp = Stopwatch.GetTimestamp();
        startCpu = ReadProcesses();
        startMachine = ReadMachine();
        waits = Task.Run(() => SampleWaitsAsync(stop.Token));
    }

    public async Task<PhaseSystemSample?> StopAsync()
    {
        if (Volatile.Read(ref started) == 0 || startCpu is null || startMachine is null || waits is null) return null;
        var endCpu = ReadProcesses();
        var endMachine = ReadMachine();
        var seconds = (Stopwatch.GetTimestamp() - startTimestamp) / (double)Stopwatch.Frequency;
        await stop.CancelAsync();
        var (samples, byWait, activeTotal) = await waits;

        var clockTicks = ClockTicksPerSecond();
        var processes = endCpu
            .Select(e => (e.Value.Name, Ticks: e.Value.Ticks - (startCpu.TryGetValue(e.Key, out var s) && s.Name == e.Value.Name ? s.Ticks : 0)))
            .GroupBy(p => p.Name)
            .Select(g => new ProcessCpu(g.Key, Math.Round(g.Sum(p => p.Ticks) * 100.0 / clockTicks / seconds, 1)))
            .Where(p => p.CpuPercentOfOneCore >= 0.5)
            .OrderByDescending(p => p.CpuPercentOfOneCore)
            .ToList();
        var busy = endMachine.Busy - startMachine.Value.Busy;
        var total = endMachine.Total - startMachine.Value.Total;
        return new PhaseSystemSample(Math.Round(seconds, 2), total > 0 ? Math.Round(busy * 100.0 / total, 1) : double.NaN, processes,
            samples, byWait, samples > 0 ? Math.Round(activeTotal / (double)samples, 2) : 0);
    }

    private async Task<(int, Dictionary<string, int>, int)> SampleWaitsAsync(CancellationToken ct)
    {
        const string sql = "SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '(no wait event)'), count(*) "
            + "FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1";
        var byWait = new Dictionary<string, int>();
        int samples = 0, activeTotal = 0;
        while (!ct.IsCancellationRequested)
        {
            var output = await Psql.QueryAsync(options, "postgres", sql, TimeSpan.FromSeconds(5));
            if (output is not null)
            {
                samples++;
                foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = line.Split('|');
                    if (parts.Length != 2 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var n)) continue;
                    byWait[parts[0]] = byWait.GetValueOrDefault(parts[0]) + n;
                    activeTotal += n;
                }
            }
            try { await Task.Delay(1000, ct); } catch (OperationCanceledException) { break; }
        }
        return (samples, byWait, activeTotal);
    }

    /// <summary>user + system CPU ticks of every process, keyed by pid, with a readable group name.</summary>
    private static Dictionary<int, (string Name, long Ticks)> ReadProcesses()
    {
        var result = new Dictionary<int, (string, long)>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                var comm = stat[(open + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                result[pid] = (GroupName(pid, comm, dir), ticks);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // the process ended meanwhile, or is not readable
            }
        }
        return result;
    }

    private static string GroupName(int pid, string comm, string dir)
    {
        if (pid == Environment.ProcessId) return "load generator (this benchmark)";
        if (comm == "dotnet")
        {
            var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            var dll = args.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
            return dll is null ? "dotnet (other)" : Path.GetFileNameWithoutExtension(dll);
        }
        if (comm.StartsWith("postgres", StringComparison.Ordinal)) return "postgres (all processes)";
        if (comm is "beam.smp" or "erl_child_setup" or "epmd" or "inet_gethost" || comm.StartsWith("erts_", StringComparison.Ordinal))
            return "rabbitmq (erlang)";
        return comm;
    }

    private static (long Busy, long Total) ReadMachine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = cpu.Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        var idle = values[3] + values[4]; // idle + iowait
        return (total - idle, total);
    }

    private static long ClockTicksPerSecond()
    {
        try
        {
            var ticks = sysconf(2); // _SC_CLK_TCK
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }

    // C long is pointer-sized on Linux (LP64).
    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern nint sysconf(int name);

    public void Dispose() => stop.Dispose();
}
