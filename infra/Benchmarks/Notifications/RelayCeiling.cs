using System.Diagnostics;
using MailKit.Net.Smtp;
using MimeKit;

namespace Coordination.Benchmarks.Notifications;

/// <summary>
/// The mail server's own pace on this machine just before the run: e-mails of the same size sent by this benchmark
/// straight to it, one after another over one connection, as fast as it takes them (no Notifications involved). The
/// ceiling any sender on this machine could reach, to read the measured throughput against.
/// </summary>
public static class RelayCeiling
{
    public sealed record Result(int Mails, double Seconds, double MailsPerSecond, LatencyStats PerMail);

    public static async Task<Result> MeasureAsync(Uri smtp, string to, int mails, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = 15_000 };
        await client.ConnectAsync(smtp.Host, smtp.Port, MailKit.Security.SecureSocketOptions.None, ct);
        var perMail = new long[mails];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < mails; i++)
        {
            using var message = new MimeMessage();
            message.From.Add(new MailboxAddress("", "ne-pas-repondre@coordination.local"));
            message.To.Add(new MailboxAddress("", to));
            message.Subject = $"[Coordination] Plafond du serveur de courrier – {i}";
            // About the size of a notification e-mail (≈ 1 KB of text).
            message.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat("Ligne de texte d'une notification. ", 30)) };
            var one = Stopwatch.GetTimestamp();
            await client.SendAsync(message, ct);
            perMail[i] = Stopwatch.GetTimestamp() - one;
        }
        var seconds = total.Elapsed.TotalSeconds;
        await client.DisconnectAsync(quit: true, ct);
        return new Result(mails, Math.Round(seconds, 2), Math.Round(mails / seconds, 1), LatencyStats.FromTicks(perMail));
    }
}
