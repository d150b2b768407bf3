using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Coordination.Operations.Tests;

/// <summary>
/// One instance of a service as its own operating-system process, started the way <c>./coordination up</c> does
/// (<c>dotnet &lt;dll&gt; --contentRoot &lt;project folder&gt;</c> from the project folder), on a port of its own, with
/// its settings as environment variables (as in a container). Its output goes to a log file, shown when it fails.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;

    public string Name { get; }
    public Uri Address { get; }
    public string LogFile { get; }

    private ServiceProcess(string name, Process process, Uri address, string logFile)
    {
        Name = name;
        this.process = process;
        Address = address;
        LogFile = logFile;
    }

    /// <param name="folder">The project folder, e.g. services/Referrals.</param>
    public static ServiceProcess Start(string name, string folder, IDictionary<string, string> settings)
    {
        var root = Repository.Root;
        var projectFolder = Path.Combine(root, folder);
        var project = Path.GetFileNameWithoutExtension(System.IO.Directory.GetFiles(projectFolder, "*.csproj").Single());
        var dll = Path.Combine(projectFolder, "bin", Repository.Configuration, "net10.0", project + ".dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing: build the solution first.");
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var log = Path.Combine(Path.GetTempPath(), $"coordination-{name}-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = projectFolder, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(projectFolder);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = address.ToString();
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__")] = value;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start };
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.Exited += (_, _) => { lock (writer) writer.Flush(); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(name, process, address, log);
    }

    public bool Running => !process.HasExited;

    public int ProcessId => process.Id;

    /// <summary>Until <c>GET /health</c> answers 200 (Healthy or Degraded).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} during start:\n{Tail()}");
            try
            {
                if ((await http.GetAsync(new Uri(Address, "/health"))).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name} not ready after {timeout}:\n{Tail()}");
            await Task.Delay(250);
        }
    }

    /// <summary>SIGKILL: no graceful shutdown, as a crashed node or an OOM kill.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
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

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        File.Delete(LogFile);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration this test assembly was built in (bin/&lt;Configuration&gt;/net10.0/).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Coordination.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Coordination.sln not found above " + AppContext.BaseDirectory);
    }
}
