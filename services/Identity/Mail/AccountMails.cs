using System.Globalization;
using Microsoft.Extensions.Options;

namespace Coordination.Identity.Mail;

public sealed class OneTimeLinkOptions
{
    /// <summary>The platform's public address, where the person's browser reaches Identity's pages (through the gateway).</summary>
    public string PublicAddress { get; set; } = "http://127.0.0.1:8080";

    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromHours(72);

    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// The e-mails Identity sends, in French. Nothing personal beyond the addressee's name: no organisation, role or
/// username; the link is the only secret and works once.
/// </summary>
public sealed class AccountMails(IOptions<OneTimeLinkOptions> options)
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public MailEnvelope Invitation(string name, string email, string token, DateTimeOffset expiresAt) => new(email, name,
        "Votre compte Coordination",
        $"""
        Bonjour {name},

        Un compte vous a été ouvert sur Coordination, l'outil de la convention France Victimes – ANISCG.

        Pour l'activer et choisir votre mot de passe, ouvrez ce lien avant le {When(expiresAt)} :
        {Link("/account/invitation", token)}

        Ce lien ne fonctionne qu'une fois. Si vous n'attendiez pas ce message, ignorez-le : aucun compte ne sera activé.

        -- 
        Coordination France Victimes – ANISCG (message automatique, merci de ne pas y répondre)
        """);

    public MailEnvelope PasswordReset(string name, string email, string token, DateTimeOffset expiresAt) => new(email, name,
        "Réinitialisation de votre mot de passe Coordination",
        $"""
        Bonjour {name},

        Une réinitialisation du mot de passe de votre compte Coordination a été demandée.

        Pour choisir un nouveau mot de passe, ouvrez ce lien avant le {When(expiresAt)} :
        {Link("/account/reset-password", token)}

        Ce lien ne fonctionne qu'une fois. Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.

        -- 
        Coordination France Victimes – ANISCG (message automatique, merci de ne pas y répondre)
        """);

    /// <summary>A second factor removed by an administrator: the person must enrol again, and learns of it if it was not them who asked.</summary>
    public MailEnvelope MfaReset(string name, string email) => new(email, name,
        "Votre double authentification Coordination a été réinitialisée",
        $"""
        Bonjour {name},

        Un administrateur a réinitialisé la double authentification de votre compte Coordination : l'application
        enregistrée et vos codes de secours ne fonctionnent plus, et vos sessions ouvertes ont été fermées.

        À votre prochaine connexion ({options.Value.PublicAddress.TrimEnd('/')}/account/login), vous enregistrerez une
        nouvelle application d'authentification.

        Si vous n'avez pas demandé cette réinitialisation, prévenez sans attendre le responsable de votre organisation.

        -- 
        Coordination France Victimes – ANISCG (message automatique, merci de ne pas y répondre)
        """);

    private string Link(string path, string token) => $"{options.Value.PublicAddress.TrimEnd('/')}{path}?jeton={Uri.EscapeDataString(token)}";

    private static string When(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Paris).ToString("d MMMM yyyy 'à' HH'h'mm", French);
}
