using System.Diagnostics;
using System.Reflection;

namespace Coordination.Testing;

/// <summary>
/// One service as its own operating-system process, started the way <c>./coordination up</c> runs it
/// (<c>dotnet Coordination.X.dll --contentRoot &lt;project folder&gt;</c> from the project folder), on a free port, with its
/// settings as environment variables (as in a container). Each start writes its own log file, shown when it fails.
/// It can be killed (SIGKILL: no graceful shutdown) and started again on the same port.
/// </summary>
/// <param name="folder">The project folder, e.g. <c>services/Referrals</c>.</param>
/// <param name="settings">Configuration keys (<c>:</c> or <c>__</c>) and their values.</param>
public sealed class ServiceProcess(string folder, IReadOnlyDictionary<string, string> settings, string? name = null, string? logDirectory = null)
    : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string logs = logDirectory ?? Path.Combine(Path.GetTempPath(), $"coordination-processes-{Guid.NewGuid():N}");
    private Process? process;
    private int starts;
    private bool migrated;

    /// <summary>
    /// Whether <see cref="Launch"/> first runs the service with <c>--migrate</c> (once per instance), as
    /// <c>./coordination up</c> does: in Production a service never creates its schema itself. True unless a test wants
    /// an unmigrated database.
    /// </summary>
    public bool MigrateFirst { get; init; } = true;

    public int Port { get; } = LocalMachine.FreePort();
    public Uri Address => new($"http://127.0.0.1:{Port}");
    public string Name => name ?? Path.GetFileName(folder);
    public string LogFile => Path.Combine(logs, $"{Name.ToLowerInvariant()}-{starts}.log");
    public bool Running => process is { HasExited: false };
    public int ProcessId => process?.Id ?? throw new InvalidOperationException($"{Name} was never started.");

    private static string Configuration =>
        typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>Starts the process without waiting for it (several can then start side by side).</summary>
    public ServiceProcess Launch()
    {
        if (Running) throw new InvalidOperationException($"{Name} is already running.");
        if (MigrateFirst && !migrated)
        {
            var (exitCode, output) = RunToCompletion("--migrate", TimeSpan.FromMinutes(3));
            if (exitCode != 0)
                throw new InvalidOperationException($"{Name} --migrate failed ({exitCode}):\n{output}");
            migrated = true;
        }
        starts++;
        process = Process.Start(StartInfo($">'{LogFile}' 2>&1 </dev/null"))!;
        return this;
    }

    /// <summary>
    /// Runs the service with extra arguments (e.g. <c>--migrate</c>) until it exits by itself; returns its exit code and
    /// output. The process is killed if it outlives <paramref name="timeout"/>.
    /// </summary>
    public (int ExitCode, string Output) RunToCompletion(string arguments, TimeSpan timeout)
    {
        Directory.CreateDirectory(logs);
        var log = Path.Combine(logs, $"{Name.ToLowerInvariant()}-run-{Guid.NewGuid():N}.log");
        using var run = Process.Start(StartInfo($"{arguments} >'{log}' 2>&1 </dev/null"))!;
        if (!run.WaitForExit(timeout))
        {
            run.Kill();
            run.WaitForExit();
        }
        return (run.ExitCode, File.Exists(log) ? File.ReadAllText(log) : "(no output)");
    }

    private ProcessStartInfo StartInfo(string tail)
    {
        var directory = Path.Combine(LocalMachine.RepositoryRoot, folder);
        var project = Directory.GetFiles(directory, "*.csproj").Single();
        var dll = Path.Combine(directory, "bin", Configuration, "net10.0", Path.GetFileNameWithoutExtension(project) + ".dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing: build the solution ({Configuration}) first.");
        Directory.CreateDirectory(logs);
        // exec: the pid we hold is the service itself; its output goes to the log file the tail names.
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = directory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec dotnet '{dll}' --contentRoot '{directory}' {tail}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = Address.ToString().TrimEnd('/');
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // Two cores shared with other work: keep each service's GC modest.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment[TestKeyEncryption.Setting.Replace(":", "__")] = TestKeyEncryption.Key; // Referrals wraps person keys with it
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__")] = value;
        return start;
    }

    /// <summary>Starts it and waits until <c>/alive</c> answers (the host started, its queues bound).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        Launch();
        await WaitUntilAsync("/alive", timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Until <c>GET /health</c> answers 200 (Healthy or Degraded).</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout) => WaitUntilAsync("/health", timeout);

    private async Task WaitUntilAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process is not { HasExited: false })
                throw new InvalidOperationException($"{Name} exited during start:\n{Tail()}");
            try
            {
                using var response = await Probe.GetAsync(new Uri(Address, path));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name} did not answer {path} in {timeout.TotalSeconds:0} s:\n{Tail()}");
            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL, as a crashed node or an OOM kill, then wait until the process is gone.</summary>
    public void Kill()
    {
        if (process is not { HasExited: false }) throw new InvalidOperationException($"{Name} is not running.");
        process.Kill();
        process.WaitForExit();
    }

    public string Tail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return string.Join('\n', new StreamReader(stream).ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        if (logDirectory is null && Directory.Exists(logs)) Directory.Delete(logs, recursive: true);
    }
}
