namespace Coordination.Notifications.Rules;

/// <summary>What a person can set a preference for. Codes are the API's (camelCase enum names).</summary>
public enum Category
{
    /// <summary>A hand-off sent <c>immediate</c> or <c>within-24-hours</c>: the on-call people. Never off, never held back.</summary>
    UrgentReferral,
    /// <summary>A <c>standard</c> hand-off sent to the person's organisation.</summary>
    ReferralReceived,
    /// <summary>No acknowledgement by the deadline. Never off, never held back.</summary>
    ReferralOverdue,
    /// <summary>Accepted, declined, redirected, expired, completed: told to the sender.</summary>
    ReferralAnswered,
    /// <summary>A new message on a hand-off, told to the other party.</summary>
    ReferralMessage,
    /// <summary>Projects: support request answered, milestone overdue.</summary>
    Projects,
    /// <summary>Training sessions one signed up for: cancelled, moved, a place from the waiting list, the reminder.</summary>
    Training,
}

public enum DeliveryMode { Immediate, DailyDigest, Off }

public static class Categories
{
    /// <summary>Urgent alerts: quiet hours do not hold them back and a preference cannot turn them off.</summary>
    public static bool IsUrgent(Category category) => category is Category.UrgentReferral or Category.ReferralOverdue;

    public static readonly IReadOnlyList<Category> All = Enum.GetValues<Category>();
}
