using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Coordination.ServiceDefaults.Mail;

public static class MailSetup
{
    public const string ConnectionStringName = "Smtp";

    /// <summary>
    /// E-mail through MailKit over SMTP. The relay is one URI in <c>ConnectionStrings:Smtp</c>:
    /// <c>smtp://127.0.0.1:52525</c> (the local smtp4dev, no TLS), <c>smtp+starttls://user:password@relay:587</c>
    /// or <c>smtps://user:password@relay:465</c> (production: TLS is required for any relay off the machine).
    /// The sender's address and name come from <c>Mail:FromAddress</c> / <c>Mail:FromName</c>.
    /// </summary>
    public static IHostApplicationBuilder AddMail(this IHostApplicationBuilder builder)
    {
        var uri = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"Connection string '{ConnectionStringName}' is missing (ConnectionStrings__{ConnectionStringName}, e.g. smtp://127.0.0.1:52525). " +
                "Start the local servers (they include the smtp4dev mail server) with ./coordination servers start.");
        builder.Services.AddSingleton(SmtpRelay.Parse(uri));
        builder.Services.Configure<MailOptions>(builder.Configuration.GetSection("Mail"));
        builder.Services.AddSingleton<IMailSender, SmtpMailSender>();
        return builder;
    }
}

public sealed class MailOptions
{
    public string FromAddress { get; set; } = "ne-pas-repondre@coordination.local";
    public string FromName { get; set; } = "Coordination France Victimes – ANISCG";
}

/// <summary>Where mail goes: host, port, TLS mode and optional credentials, read from one URI.</summary>
public sealed record SmtpRelay(string Host, int Port, SecureSocketOptions Security, string? UserName, string? Password)
{
    public static SmtpRelay Parse(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new InvalidOperationException($"The SMTP connection string is not a URI (smtp://host:port): '{Redacted(value)}'.");
        var (security, defaultPort) = uri.Scheme switch
        {
            "smtp" => (SecureSocketOptions.None, 25),
            "smtp+starttls" => (SecureSocketOptions.StartTls, 587),
            "smtps" => (SecureSocketOptions.SslOnConnect, 465),
            _ => throw new InvalidOperationException($"Unknown SMTP scheme '{uri.Scheme}': use smtp, smtp+starttls or smtps."),
        };
        string? user = null, password = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }
        return new SmtpRelay(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? defaultPort : uri.Port, security, user, password);
    }

    private static string Redacted(string value) => value.Contains('@') ? "…@" + value[(value.LastIndexOf('@') + 1)..] : value;

    // Never print the password (records print every property by default).
    public override string ToString() => $"{Security} {Host}:{Port}{(UserName is null ? "" : " (authenticated)")}";
}
