namespace Coordination.Benchmarks.Notifications;

/// <summary>One e-mail as the relay accepted it: its envelope recipients, its subject (decoded) and when it was accepted.</summary>
public sealed record AcceptedMail(string Id, IReadOnlyList<string> To, string Subject, DateTimeOffset AcceptedAt);

/// <summary>
/// What the benchmark's SMTP relay accepted, read back after the fact: smtp-sink's dump files (<see cref="SmtpSinkDumps"/>)
/// or smtp4dev's REST API (<see cref="MailServerApi"/>).
/// </summary>
public interface IAcceptedMails : IDisposable
{
    /// <summary>Where the e-mails are read from (a directory or a URL), for the report.</summary>
    string Source { get; }

    /// <summary>The relay's name and how its acceptance time is taken, for the report's "Clock" paragraph.</summary>
    string ClockSource { get; }

    /// <summary>How many e-mails the relay has accepted so far (cheap: polled every second).</summary>
    Task<int> CountAsync(CancellationToken ct);

    /// <summary>Every accepted e-mail with a recipient that matches, each once.</summary>
    Task<List<AcceptedMail>> AllToAsync(Func<string, bool> recipient, CancellationToken ct);
}
