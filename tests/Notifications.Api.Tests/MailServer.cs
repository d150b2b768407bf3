using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Coordination.Testing;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// A private smtp4dev (the platform's local mail server) on free ports, that a test may stop and start again (same ports,
/// same database: what it received survives). Assertions read its REST API, as a person would read its web UI.
/// Addresses ending in <c>@refuse.test</c> are refused for good (550), to test permanent failures.
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"notifications-smtp4dev-{Guid.NewGuid():N}");
    private Process? process;

    public int SmtpPort { get; } = LocalMachine.FreePort();
    public int WebPort { get; } = LocalMachine.FreePort();
    private int ImapPort { get; } = LocalMachine.FreePort();
    private int Pop3Port { get; } = LocalMachine.FreePort();
    private HttpClient Api => new() { BaseAddress = new Uri($"http://127.0.0.1:{WebPort}/"), Timeout = TimeSpan.FromSeconds(10) };

    public static string Executable()
    {
        foreach (var candidate in new[]
                 {
                     Environment.GetEnvironmentVariable("COORDINATION_TOOLS_DIR") is { Length: > 0 } tools ? Path.Combine(tools, "smtp4dev") : null,
                     Path.Combine(LocalMachine.RepositoryRoot, ".data", "tools", "smtp4dev"),
                     "/work/devservers/tools/smtp4dev",
                 })
            if (candidate is not null && File.Exists(candidate))
                return candidate;
        throw new InvalidOperationException(
            "smtp4dev not found: install it with `dotnet tool install --tool-path .data/tools Rnwood.Smtp4dev --version 3.15.0` " +
            "(./coordination servers start does) or set COORDINATION_TOOLS_DIR.");
    }

    public async Task StartAsync()
    {
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo(Executable())
        {
            ArgumentList =
            {
                $"--urls=http://127.0.0.1:{WebPort}", "--bindaddress=127.0.0.1", $"--smtpport={SmtpPort}", $"--imapport={ImapPort}",
                $"--pop3port={Pop3Port}", $"--db={Path.Combine(folder, "smtp4dev.db")}", "--messagestokeep=100000", "--nousersettings",
                $"--baseappdatapath={folder}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        start.Environment["ServerOptions__RecipientValidationExpression"] = "!recipient.endsWith('@refuse.test')";
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await HttpClientExtensions.Eventually(async () =>
        {
            try { return (await Api.GetAsync("api/messages")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, up => up, TimeSpan.FromSeconds(60), "smtp4dev answering");
    }

    /// <summary>Kills the mail server (as an outage would): SMTP refuses connections until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process = null;
    }

    /// <param name="Text">The decoded plain-text body.</param>
    public sealed record Received(string Id, string Subject, IReadOnlyList<string> To, string Source, string Text);

    private sealed record Summary(string Id, string Subject, IReadOnlyList<string> To);
    private sealed record Page(IReadOnlyList<Summary> Results, int PageCount);

    /// <summary>Every message received, with its full source (headers and body).</summary>
    public async Task<IReadOnlyList<Received>> MessagesAsync(Func<IReadOnlyList<string>, bool>? to = null)
    {
        using var api = Api;
        var summaries = new List<Summary>();
        for (var page = 1; ; page++)
        {
            var result = await api.GetFromJsonAsync<Page>($"api/messages?page={page}&pageSize=500", JsonOptions);
            summaries.AddRange(result!.Results);
            if (page >= result.PageCount) break;
        }
        var received = new List<Received>();
        foreach (var s in summaries.Where(s => to is null || to(s.To)))
            received.Add(new Received(s.Id, s.Subject, s.To, await api.GetStringAsync($"api/messages/{s.Id}/source"),
                await api.GetStringAsync($"api/messages/{s.Id}/plaintext")));
        return received;
    }

    public async Task<IReadOnlyList<Received>> MessagesToAsync(string address) =>
        await MessagesAsync(to => to.Any(t => t.Contains(address, StringComparison.OrdinalIgnoreCase)));

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
    }
}
