using System.Collections.Concurrent;
using MimeKit;

namespace Coordination.Benchmarks.Notifications;

/// <summary>
/// What Postfix's smtp-sink accepted, from its dump files (<c>smtp-sink -d 'DIR/%H%M%S.'</c>: one file per mail transaction,
/// created empty at MAIL FROM and written when the client's final "." arrives, before smtp-sink answers 250). A file's
/// last-modified time is therefore the moment the relay accepted that e-mail, stamped by the kernel with this machine's
/// wall clock. Each file starts with smtp-sink's own headers (<c>X-Rcpt-Args: &lt;address&gt;</c> per envelope recipient),
/// then the message as sent.
/// </summary>
public sealed class SmtpSinkDumps(string directory) : IAcceptedMails
{
    // A file's recipients and subject never change once written; its time is read again each time (see AllToAsync).
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string> To, string Subject)> parsed = new();

    public string Source => directory;

    public string ClockSource =>
        "the acceptance time is the last-modified time of the file Postfix's smtp-sink writes for each mail transaction " +
        "(`smtp-sink -d`): it writes the message when the client's final \".\" arrives and only then answers 250, so the " +
        "stamp is the moment of acceptance, taken by the kernel from the same wall clock (file times advance in clock ticks " +
        "of a few milliseconds). smtp-sink keeps nothing but these files, so it adds no queue of its own.";

    public Task<int> CountAsync(CancellationToken ct) =>
        Task.FromResult(new DirectoryInfo(directory).EnumerateFiles().Count(f => f.Length > 0));

    public async Task<List<AcceptedMail>> AllToAsync(Func<string, bool> recipient, CancellationToken ct)
    {
        var all = new List<AcceptedMail>();
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles())
        {
            // Empty: a transaction still in progress (the file is created at MAIL FROM).
            if (file.Length == 0) continue;
            if (!parsed.TryGetValue(file.Name, out var mail))
            {
                await using var stream = file.OpenRead();
                var headers = await HeaderList.LoadAsync(ParserOptions.Default, stream, ct);
                mail = ([.. headers.Where(h => h.Field == "X-Rcpt-Args").Select(h => EnvelopeAddress(h.Value))], headers[HeaderId.Subject] ?? "");
                parsed[file.Name] = mail;
            }
            if (mail.To.Any(recipient))
                // Read now, not when first parsed: a large message may be written in several pieces, the last at acceptance.
                all.Add(new AcceptedMail(file.Name, mail.To, mail.Subject, new DateTimeOffset(file.LastWriteTimeUtc)));
        }
        return all;
    }

    /// <summary>The address of an RCPT TO argument: <c>&lt;a@b.test&gt; NOTIFY=NEVER</c> → <c>a@b.test</c>.</summary>
    private static string EnvelopeAddress(string rcptArgs)
    {
        var open = rcptArgs.IndexOf('<');
        var close = rcptArgs.IndexOf('>', open + 1);
        return open >= 0 && close > open ? rcptArgs[(open + 1)..close] : rcptArgs.Trim();
    }

    public void Dispose() { }
}
