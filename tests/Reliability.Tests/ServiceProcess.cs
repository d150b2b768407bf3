using System.Diagnostics;
using System.Reflection;

namespace Coordination.Reliability.Tests;

/// <summary>
/// One service as its own process (<c>dotnet Coordination.X.dll</c> from its folder, as <c>./coordination up</c>
/// runs it), on a free port. <see cref="Kill"/> is SIGKILL: no graceful shutdown, no flushing.
/// </summary>
public sealed class ServiceProcess(string repository, string folder, IReadOnlyDictionary<string, string> environment, string logDirectory)
    : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(3) };
    private Process? process;
    private int starts;

    public int Port { get; } = PrivateServers.FreePort();
    public Uri Address => new($"http://127.0.0.1:{Port}");
    public string Name => Path.GetFileName(folder);
    public string LogFile => Path.Combine(logDirectory, $"{Name.ToLowerInvariant()}-{starts}.log");

    private static string Configuration =>
        typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (process is { HasExited: false })
            throw new InvalidOperationException($"{Name} is already running.");
        var directory = Path.Combine(repository, folder);
        var project = System.IO.Directory.GetFiles(directory, "*.csproj").Single();
        var dll = Path.Combine(directory, "bin", Configuration, "net10.0", Path.GetFileNameWithoutExtension(project) + ".dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing: build the solution ({Configuration}) first.");
        starts++;
        System.IO.Directory.CreateDirectory(logDirectory);
        // exec: the pid we hold is the service itself; its output goes to a log file of this run.
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = directory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec dotnet '{dll}' --contentRoot '{directory}' >'{LogFile}' 2>&1 </dev/null");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = Address.ToString().TrimEnd('/');
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // Two cores shared with other work: keep each service's thread pool and GC modest.
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        process = Process.Start(start)!;

        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await AliveAsync())
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{Name} exited during start: {Tail()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name} did not answer /alive in time: {Tail()}");
            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL, then wait until the process is gone.</summary>
    public void Kill()
    {
        if (process is not { HasExited: false }) throw new InvalidOperationException($"{Name} is not running.");
        process.Kill();
        process.WaitForExit();
    }

    public bool Running => process is { HasExited: false };

    private async Task<bool> AliveAsync()
    {
        try
        {
            // /alive answers once the host has started, i.e. after MassTransit bound its queues (WaitUntilStarted).
            using var response = await Probe.GetAsync(new Uri(Address, "/alive"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception)
        {
            return false;
        }
    }

    public string Tail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var all = new StreamReader(stream).ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit();
        }
        process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
