extern alias benchmarks;
using benchmarks::Coordination.Benchmarks.Notifications;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// The benchmark reads what Postfix's smtp-sink accepted from its dump files (<c>smtp-sink -d</c>): one file per mail
/// transaction, smtp-sink's own headers first. The files here are laid out as smtp-sink 3.7 writes them (copied from a run).
/// </summary>
public class SmtpSinkDumpsTests : IDisposable
{
    private readonly DirectoryInfo dumps = Directory.CreateTempSubdirectory("coordination-smtp-sink-");

    [Fact]
    public async Task Each_accepted_e_mail_gives_its_envelope_recipients_its_decoded_subject_and_its_file_time_and_one_in_progress_counts_for_nothing()
    {
        var accepted = new DateTime(2026, 12, 7, 5, 31, 42, 123, DateTimeKind.Utc);
        Write("053142.4f11bfdc", accepted, """
            X-Client-Addr: 127.0.0.1
            X-Client-Proto: ESMTP
            X-Helo-Args: vm
            X-Mail-Args: <ne-pas-repondre@coordination.local> BODY=8BITMIME
            X-Rcpt-Args: <notifybench-47f6fb17-0@banc-essai.test>
            X-Rcpt-Args: <notifybench-47f6fb17-1@banc-essai.test> NOTIFY=NEVER
            Received: from vm ([127.0.0.1])
            	by smtp-sink (smtp-sink) with ESMTP id 4f11bfdc;
            	Mon,  7 Dec 2026 05:31:42 +0000 (UTC)
            From: Coordination <ne-pas-repondre@coordination.local>
            Subject: [Coordination] Orientation urgente
             =?utf-8?b?cmXDp3VlIOKAkyByw6lmLg==?= 0000004F
            To: notifybench-47f6fb17-0@banc-essai.test
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            Bonjour,

            """);
        Write("053142.0a1c7b00", accepted.AddSeconds(1), """
            X-Client-Addr: 127.0.0.1
            X-Client-Proto: ESMTP
            X-Mail-Args: <ne-pas-repondre@coordination.local>
            X-Rcpt-Args: <plafond-1@banc-essai.test>
            Subject: [Coordination] Plafond du serveur de courrier – 0

            texte

            """);
        // Created at MAIL FROM, written when the final "." arrives: still empty, so not accepted yet.
        Write("053143.77e2aa01", accepted.AddSeconds(2), "");
        using var sink = new SmtpSinkDumps(dumps.FullName);

        Assert.Equal(2, await sink.CountAsync(CancellationToken.None));
        var mail = Assert.Single(await sink.AllToAsync(to => to.StartsWith("notifybench-", StringComparison.Ordinal), CancellationToken.None));
        Assert.Equal(["notifybench-47f6fb17-0@banc-essai.test", "notifybench-47f6fb17-1@banc-essai.test"], mail.To);
        Assert.Equal("[Coordination] Orientation urgente reçue – réf. 0000004F", mail.Subject);
        Assert.Equal(0x4F, benchmarks::Coordination.Benchmarks.Notifications.NotifyLoad.IndexOf(mail.Subject));
        Assert.Equal(new DateTimeOffset(accepted), mail.AcceptedAt);
    }

    private void Write(string name, DateTime lastWrite, string text)
    {
        var path = Path.Combine(dumps.FullName, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        File.SetLastWriteTimeUtc(path, lastWrite);
    }

    public void Dispose() => dumps.Delete(recursive: true);
}
