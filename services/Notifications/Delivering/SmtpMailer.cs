using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Coordination.Notifications.Delivering;

/// <summary>What became of one message handed to the relay.</summary>
public enum SendOutcome { Accepted, RefusedPermanently, Unavailable }

/// <summary>One SMTP session: several messages over one connection (a burst does not open a connection per e-mail).</summary>
public interface IMailSession : IAsyncDisposable
{
    Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken ct);
}

public interface IMailer
{
    /// <summary>Null when the relay cannot be reached (the caller retries later).</summary>
    Task<IMailSession?> ConnectAsync(CancellationToken ct);
}

/// <summary>MailKit over SMTP to the configured relay.</summary>
public sealed partial class SmtpMailer(IOptions<MailSettings> options, ILogger<SmtpMailer> logger) : IMailer
{
    public async Task<IMailSession?> ConnectAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var client = new SmtpClient { Timeout = 15_000 };
        try
        {
            var security = settings.Security switch
            {
                MailSecurity.StartTls => SecureSocketOptions.StartTls,
                MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.None,
            };
            await client.ConnectAsync(settings.Host, settings.Port, security, ct);
            if (!string.IsNullOrEmpty(settings.UserName))
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
            return new Session(client, logger);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or SmtpProtocolException
                                      or SmtpCommandException or AuthenticationException or TimeoutException or SslHandshakeException)
        {
            LogUnavailable(logger, e.GetType().Name);
            client.Dispose();
            return null;
        }
    }

    private sealed class Session(SmtpClient client, ILogger logger) : IMailSession
    {
        public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken ct)
        {
            try
            {
                await client.SendAsync(message, ct);
                return SendOutcome.Accepted;
            }
            // 5xx on the recipient or the message: the relay will never take it. The server's text is not logged
            // (it often quotes the address).
            catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
            {
                LogRefused(logger, (int)e.StatusCode, e.ErrorCode.ToString());
                return SendOutcome.RefusedPermanently;
            }
            catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException
                                          or System.Net.Sockets.SocketException or ServiceNotConnectedException or TimeoutException)
            {
                LogUnavailable(logger, e.GetType().Name);
                return SendOutcome.Unavailable;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                    await client.DisconnectAsync(quit: true);
            }
            catch (Exception e) when (e is IOException or SmtpProtocolException or System.Net.Sockets.SocketException) { }
            client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail relay unavailable ({ExceptionType}): deliveries wait and retry")]
    private static partial void LogUnavailable(ILogger logger, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail relay refused a message permanently ({Status} {Code})")]
    private static partial void LogRefused(ILogger logger, int status, string code);
}
