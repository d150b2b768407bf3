using Coordination.Portal.Formatting;

namespace Coordination.Portal.Api;

// What the Notifications API answers (/api/notifications/**), as the pages read it.

public sealed record UnreadCountDto(int Unread);

public sealed record EmailStateDto(string Status, string Mode, DateTimeOffset DueAt, int Attempts, string? LastError, DateTimeOffset? SentAt);

public sealed record NotificationItemDto(
    Guid Id, string Kind, string Category, string Title, IReadOnlyList<string> Lines, string Link,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, EmailStateDto? Email);

public sealed record NotificationCentreDto(int Unread, IReadOnlyList<NotificationItemDto> Items);

public sealed record QuietHoursDto(string? From, string? To);

public sealed record CategoryPreferenceDto(string Category, string Mode, bool Locked);

public sealed record PreferencesDto(IReadOnlyList<CategoryPreferenceDto> Categories, QuietHoursDto? QuietHours, long Version);

public sealed record OnCallSlotDto(IReadOnlyList<string> Days, string From, string To, IReadOnlyList<string> UserIds);

public sealed record StaffMemberDto(string UserId, string? DisplayName, bool Manager);

public sealed record OnCallRotaDto(Guid OrganisationId, IReadOnlyList<OnCallSlotDto> Slots, IReadOnlyList<string> OnCallNow,
    IReadOnlyList<StaffMemberDto> Staff, long Version);

/// <summary>An e-mail refused for good (or impossible: no address, account disabled), listed to the organisation's manager.</summary>
public sealed record FailedDeliveryDto(Guid NotificationId, string UserId, string? DisplayName, string Reason, DateTimeOffset? LastAttemptAt);

/// <summary>French labels of the Notifications API's codes.</summary>
public static class NotificationLabels
{
    public static string Category(string code) => code switch
    {
        "urgentReferral" => "Orientation urgente reçue (astreinte)",
        "referralReceived" => "Nouvelle orientation reçue (urgence standard)",
        "referralOverdue" => "Orientation en retard (aucun accusé de réception)",
        "referralAnswered" => "Réponse à une orientation envoyée (acceptée, refusée, réorientée, expirée, clôturée)",
        "referralMessage" => "Nouveau message sur une orientation",
        "projects" => "Projets (jalon en retard, réponse à une demande d'appui)",
        "training" => "Formations (session annulée ou déplacée, place libérée, rappel deux jours avant)",
        _ => code,
    };

    public static string Mode(string code) => code switch
    {
        "immediate" => "Immédiatement",
        "dailyDigest" => "Récapitulatif quotidien (8 h, jours ouvrés)",
        "off" => "Pas d'e-mail",
        _ => code,
    };

    public static string Email(EmailStateDto? email) => email switch
    {
        null => "",
        { Status: "sent" } => "E-mail envoyé le " + French.DateTime(email.SentAt),
        { Status: "skipped" } => "Pas d'e-mail (selon vos préférences)",
        { Status: "failed" } => "E-mail non remis : " + (email.LastError switch
        {
            "address-refused" => "adresse refusée",
            "no-address" => "aucune adresse connue",
            _ => "échec",
        }),
        { Status: "pending", LastError: "smtp-unavailable" } => $"E-mail en attente : messagerie indisponible, nouvel essai automatique ({email.Attempts} essai(s))",
        { Status: "pending", Mode: "dailyDigest" } => "Dans le récapitulatif du " + French.DateTime(email.DueAt),
        { Status: "pending" } => "E-mail prévu le " + French.DateTime(email.DueAt),
        _ => "",
    };

    public static readonly IReadOnlyList<(string Code, string Label)> Days =
    [
        ("monday", "lundi"), ("tuesday", "mardi"), ("wednesday", "mercredi"), ("thursday", "jeudi"),
        ("friday", "vendredi"), ("saturday", "samedi"), ("sunday", "dimanche"),
    ];

    public static string Day(string code) => Days.FirstOrDefault(d => d.Code == code).Label ?? code;
}
