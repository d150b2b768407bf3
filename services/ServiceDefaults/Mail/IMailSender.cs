namespace Coordination.ServiceDefaults.Mail;

/// <summary>
/// One e-mail to one person. <paramref name="MessageId"/> is stable per (cause, recipient) so that a retry after an
/// unclear failure is recognisable in the mail server's logs.
/// </summary>
public sealed record OutgoingMail(string ToAddress, string ToName, string Subject, string PlainText, string? Html = null, string? MessageId = null);

public interface IMailSender
{
    /// <summary>Hands the mail to the relay. Throws <see cref="MailDeliveryException"/>: permanent (the address is refused) or not.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);

    /// <summary>
    /// A connection to the relay for several mails in a row (connected at the first, closed when disposed): a burst then
    /// pays the connection and greeting once, not once per mail. Sends throw as <see cref="SendAsync"/> does.
    /// </summary>
    IMailConnection OpenConnection();
}

public interface IMailConnection : IAsyncDisposable
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>
/// The relay did not take the mail. <see cref="Permanent"/>: it refused it for good (unknown mailbox, refused sender):
/// retrying will not help and the failure should be shown to a person. Otherwise (connection refused, 4xx) retry later.
/// </summary>
public sealed class MailDeliveryException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
