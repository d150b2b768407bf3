using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Coordination.Benchmarks;

/// <summary>CPU of one group of processes over a phase, in % of one core (the machine has Environment.ProcessorCount).</summary>
public sealed record ProcessCpu(string Name, double CpuPercentOfOneCore);

/// <summary>
/// What the machine did during one measured window: whole-machine CPU busy %, CPU per process group (from
/// /proc: processes alive at the end of the window, plus the children they reaped during it), and PostgreSQL's
/// active backends by wait event, sampled once a second (an active backend without a wait event is running on CPU).
/// </summary>
public sealed record PhaseSystemSample(
    double Seconds, double MachineBusyPercent, List<ProcessCpu> Processes, int WaitSamples, Dictionary<string, int> ActiveBackendsByWait,
    double MeanActiveBackends);

public sealed class SystemSampler(BenchOptions options) : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private int started;
    private long startTimestamp;
    private Dictionary<int, (string Name, long Ticks, int Parent)>? startCpu;
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

    /// <param name="reapDelay">
    /// Wait this long before reading the counters (the window still ends now): a process that just ended (pgbench,
    /// its PostgreSQL backends) is only added to its parent's counters once reaped.
    /// </param>
    public async Task<PhaseSystemSample?> StopAsync(TimeSpan reapDelay = default)
    {
        if (Volatile.Read(ref started) == 0 || startCpu is null || startMachine is null || waits is null) return null;
        var seconds = (Stopwatch.GetTimestamp() - startTimestamp) / (double)Stopwatch.Frequency;
        if (reapDelay > TimeSpan.Zero) await Task.Delay(reapDelay);
        var endCpu = ReadProcesses();
        var endMachine = ReadMachine();
        await stop.CancelAsync();
        var (samples, byWait, activeTotal) = await waits;

        var clockTicks = ClockTicksPerSecond();
        var ticksByGroup = new Dictionary<string, long>();
        foreach (var (pid, end) in endCpu)
            ticksByGroup[end.Name] = ticksByGroup.GetValueOrDefault(end.Name) + end.Ticks
                - (startCpu.TryGetValue(pid, out var start) && start.Name == end.Name ? start.Ticks : 0);
        // A process alive at the start that ended during the window: its parent reaped it, adding its whole life to
        // the parent's counters; take off what it had used before the window.
        foreach (var (pid, start) in startCpu)
        {
            if (pid < 0 || (endCpu.TryGetValue(pid, out var end) && end.Name == start.Name)) continue;
            var parentGroup = start.Parent == Environment.ProcessId ? endCpu.GetValueOrDefault(-Environment.ProcessId).Name
                : endCpu.TryGetValue(start.Parent, out var parent) ? parent.Name : null;
            if (parentGroup is not null) ticksByGroup[parentGroup] = ticksByGroup.GetValueOrDefault(parentGroup) - start.Ticks;
        }
        var processes = ticksByGroup
            .Select(g => new ProcessCpu(g.Key, Math.Round(Math.Max(0, g.Value) * 100.0 / clockTicks / seconds, 1)))
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
    private static Dictionary<int, (string Name, long Ticks, int Parent)> ReadProcesses()
    {
        var result = new Dictionary<int, (string, long, int)>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var (comm, parentPid, own, children) = ReadStat(dir);
                // Children that ended and were reaped (pgbench, psql, PostgreSQL backends of closed connections) add
                // their CPU to their parent's cutime + cstime: counted with the parent, or apart for this benchmark.
                if (pid == Environment.ProcessId)
                {
                    result[pid] = (GroupName(pid, comm, dir), own, parentPid);
                    result[-pid] = ("psql + pgbench (run by this benchmark)", children, pid);
                }
                else
                {
                    result[pid] = (GroupName(pid, comm, dir), own + children, parentPid);
                }
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
        if (comm.StartsWith("kworker", StringComparison.Ordinal)) return "kernel workers (kworker)";
        if (comm is "beam.smp" or "erl_child_setup" or "epmd" or "inet_gethost" || comm.StartsWith("erts_", StringComparison.Ordinal))
            return "rabbitmq (erlang)";
        return comm;
    }

    /// <summary>
    /// <c>/proc/&lt;pid&gt;/stat</c> of the process whose /proc directory is <paramref name="dir"/>: its name, parent, own CPU
    /// ticks (user + system, every thread, ended ones included) and its reaped children's.
    /// </summary>
    internal static (string Comm, int Parent, long OwnTicks, long ChildrenTicks) ReadStat(string dir)
    {
        var stat = File.ReadAllText(Path.Combine(dir, "stat"));
        var open = stat.IndexOf('(');
        var close = stat.LastIndexOf(')');
        var fields = stat[(close + 2)..].Split(' ');
        long Ticks(int a, int b) => long.Parse(fields[a], CultureInfo.InvariantCulture) + long.Parse(fields[b], CultureInfo.InvariantCulture);
        return (stat[(open + 1)..close], int.Parse(fields[1], CultureInfo.InvariantCulture), Ticks(11, 12), Ticks(13, 14));
    }

    /// <summary>The whole machine's busy and total CPU ticks (<c>/proc/stat</c>); idle and I/O wait are not busy.</summary>
    internal static (long Busy, long Total) ReadMachine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = cpu.Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        var idle = values[3] + values[4]; // idle + iowait
        return (total - idle, total);
    }

    internal static long ClockTicksPerSecond()
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
