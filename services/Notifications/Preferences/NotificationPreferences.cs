using Coordination.Notifications.Rules;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Notifications.Preferences;

public sealed record CategoryPreference(Category Category, DeliveryMode Mode);

/// <summary>Hours (Paris time) when non-urgent e-mails wait; may run past midnight (21:00 → 07:30).</summary>
public sealed record QuietHours(TimeOnly From, TimeOnly To)
{
    public bool Covers(TimeOnly time) => From < To ? time >= From && time < To : time >= From || time < To;

    /// <summary>When the quiet period that covers <paramref name="now"/> ends (or <paramref name="now"/> itself).</summary>
    public DateTimeOffset EndAfter(DateTimeOffset now)
    {
        var local = ParisTime.ToParis(now);
        var time = TimeOnly.FromDateTime(local);
        if (!Covers(time))
            return now;
        var endDay = DateOnly.FromDateTime(local);
        if (time >= To)
            endDay = endDay.AddDays(1);
        return ParisTime.FromParis(endDay.ToDateTime(To));
    }
}

/// <summary>A person's choices. Absent categories are "at once"; urgent categories ignore what is set.</summary>
public sealed record NotificationPreferences(Guid Id, string UserId, IReadOnlyList<CategoryPreference> Categories, QuietHours? QuietHours)
{
    public static Guid StreamId(string userId) => DeterministicId.From("notification-preferences", userId);

    public static NotificationPreferences Default(string userId) => new(StreamId(userId), userId, [], null);

    public DeliveryMode ModeFor(Category category) =>
        Categories.FirstOrDefault(c => c.Category == category)?.Mode ?? DeliveryMode.Immediate;
}

public sealed record PreferencesSet(string UserId, IReadOnlyList<CategoryPreference> Categories, QuietHours? QuietHours, DateTimeOffset At);

public sealed partial class NotificationPreferencesProjection : SingleStreamProjection<NotificationPreferences, Guid>
{
    public override NotificationPreferences? Evolve(NotificationPreferences? snapshot, Guid id, IEvent e) => e.Data switch
    {
        PreferencesSet set => new NotificationPreferences(id, set.UserId, set.Categories, set.QuietHours),
        _ => snapshot,
    };
}
