using Coordination.Testing;
using System.Diagnostics;
using Npgsql;

namespace Coordination.Operations.Tests;

/// <summary>
/// pg_dump and pg_restore as an operator runs them (the binaries infra/pgbin.sh finds), against the database of
/// a connection string. Host, port, user and password go through the libpq environment, not the command line.
/// </summary>
public static class PostgresTools
{
    public static Task DumpAsync(string connectionString, string file, params string[] options) =>
        RunAsync("pg_dump", connectionString, ["--format=custom", $"--file={file}", .. options]);

    public static Task RestoreAsync(string connectionString, string file, params string[] options) =>
        RunAsync("pg_restore", connectionString, ["--no-owner", "--no-privileges", "--exit-on-error", .. options, file]);

    private static async Task RunAsync(string tool, string connectionString, string[] arguments)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(await Locate(tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add($"--dbname={cs.Database}");
        start.Environment["PGHOST"] = cs.Host;
        start.Environment["PGPORT"] = cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = cs.Username;
        if (!string.IsNullOrEmpty(cs.Password)) start.Environment["PGPASSWORD"] = cs.Password;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {await stderr}");
    }

    /// <summary>The binary infra/pgbin.sh names (the server's own version first), like the scripts use.</summary>
    private static async Task<string> Locate(string tool)
    {
        var script = Path.Combine(LocalMachine.RepositoryRoot, "infra", "pgbin.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(tool);
        using var process = Process.Start(start)!;
        var path = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || path.Length == 0)
            throw new InvalidOperationException($"{tool} not found by infra/pgbin.sh: {await process.StandardError.ReadToEndAsync()} (run infra/install.sh)");
        return path;
    }
}
