using Coordination.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Coordination.Reliability.Tests;

/// <summary>
/// A PostgreSQL and a RabbitMQ of this test run only, started by <c>infra/servers.sh</c> with every override
/// (data folder, ports, EPMD port, node name): the servers other people use are never touched. Faults are
/// injected only into processes recognised as ours (pid files in our data folder, checked against /proc).
/// </summary>
public sealed class PrivateServers
{
    public PrivateServers(string repository)
    {
        Repository = repository;
        DataDirectory = Path.Combine(Path.GetTempPath(), $"coordination-faults-{Guid.NewGuid():N}"[..32]);
        PostgresPort = LocalMachine.FreePort();
        AmqpPort = LocalMachine.FreePort();
        DistPort = LocalMachine.FreePort();
        EpmdPort = LocalMachine.FreePort();
        ManagementPort = LocalMachine.FreePort();
        NodeName = $"faults-{Guid.NewGuid():N}"[..15] + "@localhost";
    }

    public string Repository { get; }
    public string DataDirectory { get; }
    public int PostgresPort { get; }
    public int AmqpPort { get; }
    public int DistPort { get; }
    public int EpmdPort { get; }
    public int ManagementPort { get; }
    public string NodeName { get; }

    public string Postgres(string database) => $"Host=127.0.0.1;Port={PostgresPort};Username=postgres;Database={database};Timeout=5;Command Timeout=15";
    public Uri Amqp => new($"amqp://coordination:coordination@127.0.0.1:{AmqpPort}/");
    public Uri Management => new($"http://coordination:coordination@127.0.0.1:{ManagementPort}");

    private string RabbitRoot => Path.Combine(DataDirectory, "rabbitmq");
    private string PostgresData => Path.Combine(DataDirectory, "postgres", "data");

    public Task StartAsync() => Script("start");

    public Task StopAsync() => Script("stop");

    /// <summary>The broker dies at once (SIGKILL to its Erlang VM and to the launcher's process group).</summary>
    public void KillRabbitMq()
    {
        var beam = ReadPid(Path.Combine(RabbitRoot, "rabbitmq.pid"));
        var launcher = ReadPid(Path.Combine(RabbitRoot, "launcher.pid"));
        var home = Path.Combine(RabbitRoot, "home");
        var killed = false;
        if (beam is { } vm && IsOurs(vm, home))
        {
            Process.GetProcessById(vm).Kill();
            killed = true;
        }
        if (launcher is { } group && IsOurs(group, home))
        {
            // setsid made the launcher a process-group leader: its group is our broker's processes only.
            using var kill = Process.Start("kill", ["-KILL", "--", $"-{group}"]);
            kill.WaitForExit();
            killed = true;
        }
        if (!killed)
            throw new InvalidOperationException("Our RabbitMQ is not running: nothing to kill.");
    }

    /// <summary>Starts whatever is down again (servers.sh start is a no-op for a server that runs).</summary>
    public Task RestartAsync() => Script("start");

    /// <summary>
    /// PostgreSQL crashes: SIGQUIT to the postmaster is an "immediate" shutdown (no checkpoint, every backend
    /// dropped, crash recovery on the next start), which is what pg_ctl -m immediate sends.
    /// </summary>
    public void CrashPostgres()
    {
        var pidFile = Path.Combine(PostgresData, "postmaster.pid");
        var postmaster = ReadPid(pidFile) ?? throw new InvalidOperationException("Our PostgreSQL is not running.");
        // A postmaster works in its data folder: the pid file seen from the process's working folder is ours, word for
        // word (pid, folder, port, start time). Compared by content, not by path, so a symbolic link in the temporary
        // folder's path (TMPDIR) cannot make our own postmaster look foreign.
        string? seenFromProcess;
        try
        {
            seenFromProcess = File.ReadAllText($"/proc/{postmaster}/cwd/postmaster.pid");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            seenFromProcess = null;
        }
        if (seenFromProcess != File.ReadAllText(pidFile))
            throw new InvalidOperationException($"pid {postmaster} is not our postmaster.");
        using var kill = Process.Start("kill", ["-QUIT", postmaster.ToString()]);
        kill.WaitForExit();
    }

    public async Task<bool> PostgresAcceptsConnections()
    {
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection(Postgres("postgres") + ";Pooling=false");
            await connection.OpenAsync();
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    public Task RabbitMqCtl(params string[] arguments) => Script(["rabbitmqctl", .. arguments]);

    /// <summary>rabbitmqctl's answer: read from the queue processes themselves, not from the (lagging) statistics.</summary>
    public Task<string> RabbitMqCtlOutput(params string[] arguments) => Script(["rabbitmqctl", .. arguments]);

    private static int? ReadPid(string file) =>
        File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault()?.Trim(), out var pid) ? pid : null;

    /// <summary>Alive, and its environment names our private RabbitMQ home (never someone else's broker).</summary>
    private static bool IsOurs(int pid, string home)
    {
        try
        {
            var environ = File.ReadAllText($"/proc/{pid}/environ").Split('\0');
            return environ.Contains($"HOME={home}");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private Task<string> Script(params string[] arguments) => Run(Path.Combine(Repository, "infra", "servers.sh"), arguments);

    private async Task<string> Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["COORDINATION_DATA_DIR"] = DataDirectory;
        start.Environment["COORDINATION_PG_PORT"] = PostgresPort.ToString();
        start.Environment["COORDINATION_AMQP_PORT"] = AmqpPort.ToString();
        start.Environment["COORDINATION_RABBIT_DIST_PORT"] = DistPort.ToString();
        start.Environment["COORDINATION_EPMD_PORT"] = EpmdPort.ToString();
        start.Environment["COORDINATION_RABBIT_MANAGEMENT_PORT"] = ManagementPort.ToString();
        start.Environment["COORDINATION_MAIL_SERVER"] = "off";   // the fault tests need no mail server of their own
        start.Environment["COORDINATION_RABBIT_NODE"] = NodeName;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"servers.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stdout}{await stderr}");
        return await stdout;
    }
}
