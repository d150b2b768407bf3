using System.Net.Http.Json;
using System.Text.Json;

namespace Coordination.Benchmarks.Notifications;

/// <summary>
/// smtp4dev's REST API. Its <c>receivedDate</c> is smtp4dev's own reading of the system clock when it takes in a message
/// whose SMTP transaction (DATA) has ended (UTC, 100 ns resolution): on this machine, the same clock the publisher reads,
/// so published → received needs no clock translation. Any queue inside smtp4dev can only make that stamp later than
/// the moment the relay accepted the message, so the figure errs on the slow side.
/// </summary>
public sealed class MailServerApi(Uri api) : IAcceptedMails
{
    private readonly HttpClient http = new() { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };

    private sealed record Mail(Guid Id, IReadOnlyList<string> To, string Subject, DateTimeOffset ReceivedDate);

    private sealed record Page(IReadOnlyList<Mail> Results, int PageCount, int RowCount);

    public string Source => api.ToString();

    public string ClockSource =>
        "the acceptance time is smtp4dev's `receivedDate`, its own reading of the same wall clock when it takes in a message " +
        "whose SMTP transaction has ended (read back from its REST API `/api/messages`). Both processes run on this machine, so " +
        "no clock offset applies; any queue inside smtp4dev can only make the figure later (slower), never earlier.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>How many messages the server holds (one small request).</summary>
    public async Task<int> CountAsync(CancellationToken ct) =>
        (await http.GetFromJsonAsync<Page>("api/messages?page=1&pageSize=1", Json, ct))!.RowCount;

    /// <summary>
    /// Every message the server holds whose recipients match, all pages, each once: pages are newest first, so a message
    /// arriving during the listing pushes the others down and the last of a page is listed again on the next one.
    /// </summary>
    public async Task<List<AcceptedMail>> AllToAsync(Func<string, bool> recipient, CancellationToken ct)
    {
        var all = new Dictionary<Guid, AcceptedMail>();
        for (var page = 1; ; page++)
        {
            var answer = (await http.GetFromJsonAsync<Page>($"api/messages?page={page}&pageSize=500", Json, ct))!;
            foreach (var mail in answer.Results.Where(m => m.To.Any(recipient)))
                all.TryAdd(mail.Id, new AcceptedMail(mail.Id.ToString(), mail.To, mail.Subject, mail.ReceivedDate));
            if (page >= answer.PageCount) return [.. all.Values];
        }
    }

    public void Dispose() => http.Dispose();
}

/// <summary>Resident memory of one process, sampled while the benchmark runs, and its own high-water mark.</summary>
public sealed class ProcessMemory : IDisposable
{
    private readonly int pid;
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;
    private long peakSampledKb, firstKb, samples;

    public ProcessMemory(int pid)
    {
        this.pid = pid;
        firstKb = ReadKb("VmRSS:") ?? 0;
        sampling = Task.Run(SampleAsync);
    }

    public sealed record Figures(int ProcessId, double StartMb, double PeakSampledMb, double? HighWaterMarkMb, long Samples);

    private async Task SampleAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            if (ReadKb("VmRSS:") is { } rss)
            {
                peakSampledKb = Math.Max(peakSampledKb, rss);
                samples++;
            }
            try { await Task.Delay(250, stop.Token); } catch (OperationCanceledException) { return; }
        }
    }

    public async Task<Figures> StopAsync()
    {
        await stop.CancelAsync();
        await sampling;
        // VmHWM: the kernel's own peak of resident memory since the process started (between samples too).
        var hwm = ReadKb("VmHWM:");
        return new Figures(pid, Math.Round(firstKb / 1024.0, 1), Math.Round(peakSampledKb / 1024.0, 1),
            hwm is { } h ? Math.Round(h / 1024.0, 1) : null, samples);
    }

    private long? ReadKb(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null; // the process ended
        }
    }

    /// <summary>The process listening on a TCP port of the loopback (from /proc/net/tcp*), or null.</summary>
    public static int? ListeningOn(int port)
    {
        var inodes = new HashSet<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; field 9 is the socket's inode.
                if (f.Length > 9 && f[3] == "0A" && int.Parse(f[1][(f[1].IndexOf(':') + 1)..], System.Globalization.NumberStyles.HexNumber) == port)
                    inodes.Add($"socket:[{f[9]}]");
            }
        if (inodes.Count == 0) return null;
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")).Any(fd => new FileInfo(fd).LinkTarget is { } t && inodes.Contains(t)))
                    return int.Parse(Path.GetFileName(dir), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone, or not ours to read
            }
        }
        return null;
    }

    public void Dispose() => stop.Dispose();
}
