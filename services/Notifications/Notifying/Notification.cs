using Coordination.Notifications.Rules;

namespace Coordination.Notifications.Notifying;

/// <summary>What one person was told about one event: shown in the Portal's notification centre.</summary>
public sealed record Notification(
    Guid Id, string UserId, Guid? OrganisationId, string Kind, Category Category, AlertSubject Subject,
    bool OnCall, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

public enum DeliveryStatus { Pending, Sent, Failed, Skipped }

/// <summary>
/// One e-mail owed to one person for one notification (the e-mail channel; the Portal channel is the notification
/// itself). Its id is derived from (event, person, channel): a second copy of the event cannot create a second one.
/// </summary>
/// <param name="LastError">A code, never a server's text (which may quote the address): smtp-unavailable,
/// address-refused, no-address, preference-off.</param>
public sealed record Delivery(
    Guid Id, Guid NotificationId, string UserId, Guid? OrganisationId, string Channel, DeliveryMode Mode, DeliveryStatus Status,
    DateTimeOffset DueAt, int Attempts, string? LastError, DateTimeOffset? LastAttemptAt, DateTimeOffset? SentAt, DateTimeOffset CreatedAt)
{
    public const string Email = "email";
}
