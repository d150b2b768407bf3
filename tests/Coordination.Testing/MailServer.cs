using System.Diagnostics;
using System.Net.Http.Json;

namespace Coordination.Testing;

/// <summary>
/// The real mail server (smtp4dev) tests send to and read from:
/// <see cref="GetSharedAsync"/> is the one <c>./coordination test</c> starts (COORDINATION_SMTP, COORDINATION_MAIL_API);
/// tests that must stop and restart the server start a private one with <see cref="StartPrivateAsync"/>.
/// Tests sharing the server tell their mails apart by recipient address (make them unique per test).
/// </summary>
public static class MailServer
{
    public static async Task<MailBox> GetSharedAsync()
    {
        var smtp = Environment.GetEnvironmentVariable("COORDINATION_SMTP");
        var api = Environment.GetEnvironmentVariable("COORDINATION_MAIL_API");
        if (string.IsNullOrEmpty(smtp) || string.IsNullOrEmpty(api))
            throw new InvalidOperationException(
                "No mail server for the tests. Run them with ./coordination test (it starts smtp4dev with the other local " +
                "servers), or start them with ./coordination servers start and export what `infra/servers.sh env` prints " +
                "(COORDINATION_SMTP, COORDINATION_MAIL_API).");
        var box = new MailBox(new Uri(smtp), new Uri(api));
        await box.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(10));
        return box;
    }

    /// <summary>A private smtp4dev on free ports (installed by <c>infra/servers.sh</c> into the tools folder), for outage tests.</summary>
    /// <param name="refusedDomain">Recipients at this domain are refused for good (550), to test permanent failures.</param>
    public static async Task<PrivateMailServer> StartPrivateAsync(string? refusedDomain = null)
    {
        var server = new PrivateMailServer(refusedDomain);
        await server.StartAsync();
        return server;
    }

    internal static string Smtp4devExecutable()
    {
        var tools = Environment.GetEnvironmentVariable("COORDINATION_TOOLS_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(LocalMachine.RepositoryRoot, ".tools");
        var executable = Path.Combine(tools, "smtp4dev");
        return File.Exists(executable)
            ? executable
            : throw new InvalidOperationException($"smtp4dev is not installed at {executable}: run ./coordination servers start once (it installs it).");
    }
}

/// <summary>What smtp4dev's REST API says about a received mail.</summary>
public sealed record ReceivedMail(Guid Id, string From, IReadOnlyList<string> To, string Subject, DateTimeOffset ReceivedDate);

/// <summary>Reading a mail server's mailbox through smtp4dev's REST API (<c>/api/messages</c>).</summary>
public sealed class MailBox(Uri smtp, Uri api)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>What services are configured with: <c>ConnectionStrings:Smtp</c>.</summary>
    public string SmtpConnectionString => smtp.ToString().TrimEnd('/');

    public Uri WebAddress => api;

    private sealed record Page(IReadOnlyList<ReceivedMail> Results, int PageCount);

    /// <summary>Every mail the server holds, all pages.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> AllAsync()
    {
        var all = new List<ReceivedMail>();
        for (var page = 1; ; page++)
        {
            var answer = await Http.GetFromJsonAsync<Page>(new Uri(api, $"/api/messages?page={page}&pageSize=500"), HttpClientExtensions.JsonOptions);
            all.AddRange(answer!.Results);
            if (page >= answer.PageCount)
                return all;
        }
    }

    public async Task<IReadOnlyList<ReceivedMail>> ToAsync(string address) =>
        [.. (await AllAsync()).Where(mail => mail.To.Any(to => to.Contains(address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Waits (with a deadline, no fixed sleep) until <paramref name="address"/> has received at least <paramref name="count"/> mails.</summary>
    public Task<IReadOnlyList<ReceivedMail>> WaitForAsync(string address, int count = 1, TimeSpan? timeout = null) =>
        HttpClientExtensions.Eventually(() => ToAsync(address), mails => mails.Count >= count, timeout ?? TimeSpan.FromSeconds(30),
            $"{count} mail(s) to {address}");

    public async Task<string> PlainTextAsync(Guid id) => await Http.GetStringAsync(new Uri(api, $"/api/messages/{id}/plaintext"));

    /// <summary>The whole message as sent (headers, every part): what a privacy canary searches.</summary>
    public async Task<string> SourceAsync(Guid id) => await Http.GetStringAsync(new Uri(api, $"/api/messages/{id}/raw"));

    internal async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(api, "/api/messages?pageSize=1"));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (DateTime.UtcNow >= deadline)
                throw new InvalidOperationException($"The mail server does not answer at {api}.");
            await Task.Delay(200);
        }
    }
}

/// <summary>A smtp4dev of the test's own, that the test may stop (an SMTP outage) and start again on the same ports and database.</summary>
public sealed class PrivateMailServer(string? refusedDomain = null) : IAsyncDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("coordination-smtp4dev-").FullName;
    private readonly int smtpPort = LocalMachine.FreePort(), webPort = LocalMachine.FreePort();
    private readonly int imapPort = LocalMachine.FreePort(), pop3Port = LocalMachine.FreePort();
    private Process? process;

    public MailBox Box => new(new Uri($"smtp://127.0.0.1:{smtpPort}"), new Uri($"http://127.0.0.1:{webPort}"));

    public bool Running => process is { HasExited: false };

    public async Task StartAsync()
    {
        if (Running)
            return;
        var start = new ProcessStartInfo(MailServer.Smtp4devExecutable())
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     $"--urls=http://127.0.0.1:{webPort}", "--bindaddress=127.0.0.1", $"--smtpport={smtpPort}",
                     $"--imapport={imapPort}", $"--pop3port={pop3Port}", $"--db={Path.Combine(folder, "smtp4dev.db")}",
                     "--messagestokeep=100000",
                 })
            start.ArgumentList.Add(argument);
        if (refusedDomain is not null)
            start.Environment["ServerOptions__RecipientValidationExpression"] = $"!recipient.endsWith('@{refusedDomain}')";
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // smtp4dev migrates its database at start: over a minute on a loaded two-core machine.
        await Box.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(240));
    }

    /// <summary>Kills the server (an outage): SMTP connections are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (process is null)
            return;
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
