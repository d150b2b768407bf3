namespace Coordination.Notifications.Delivering;

public enum MailSecurity { None, StartTls, SslOnConnect }

/// <summary>
/// <c>Notifications:Mail</c>: the SMTP relay. Locally smtp4dev (plain, no credentials); in production a relay with
/// TLS (<c>StartTls</c> or <c>SslOnConnect</c>) and credentials (<c>UserName</c>, <c>Password</c> from a secret).
/// </summary>
public sealed class MailSettings
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 25;
    public MailSecurity Security { get; set; } = MailSecurity.None;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "notifications@coordination.local";
    public string FromName { get; set; } = "Coordination";
}
