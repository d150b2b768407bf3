using Coordination.Notifications.Audience;
using Coordination.Notifications.Preferences;
using Coordination.Notifications.Rotas;

namespace Coordination.Notifications.Rules;

/// <param name="OnCall">Chosen as on call (or as staff standing in for a missing rota) for an urgent alert.</param>
public sealed record Recipient(string UserId, Guid? OrganisationId, bool OnCall);

/// <summary>When (and whether) a person's e-mail for an alert goes out.</summary>
public sealed record DeliveryPlan(DeliveryMode Mode, DateTimeOffset DueAt);

public static class Recipients
{
    /// <summary>People behind the alert's audiences, each once. Only active staff of the named organisation count.</summary>
    public static IReadOnlyList<Recipient> Resolve(
        IReadOnlyList<Rules.Audience> audiences, IReadOnlyCollection<Member> members, Func<Guid, OnCallRota?> rotaOf, DateTimeOffset now)
    {
        var chosen = new Dictionary<string, Recipient>();
        void Add(Member m, bool onCall)
        {
            if (!chosen.TryGetValue(m.UserId, out var existing) || (onCall && !existing.OnCall))
                chosen[m.UserId] = new Recipient(m.UserId, m.OrganisationId, onCall);
        }

        foreach (var audience in audiences)
        {
            switch (audience)
            {
                case Rules.Audience.Staff s:
                    foreach (var m in members.Where(m => m.IsStaffOf(s.OrganisationId))) Add(m, false);
                    break;
                case Rules.Audience.People p:
                    foreach (var m in members.Where(m => m.Active && p.UserIds.Contains(m.UserId))) Add(m, false);
                    break;
                case Rules.Audience.Managers s:
                    foreach (var m in members.Where(m => m.IsManagerOf(s.OrganisationId))) Add(m, false);
                    break;
                case Rules.Audience.OnCallOrElseStaff s:
                    var staff = members.Where(m => m.IsStaffOf(s.OrganisationId)).ToList();
                    var onCallNow = rotaOf(s.OrganisationId)?.OnCallAt(now) ?? new HashSet<string>();
                    var onCall = staff.Where(m => onCallNow.Contains(m.UserId)).ToList();
                    // No rota, or a gap in it: nobody may be left untold of an urgent hand-off.
                    foreach (var m in onCall.Count > 0 ? onCall : staff) Add(m, true);
                    break;
            }
        }
        return [.. chosen.Values.OrderBy(r => r.UserId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The person's preference applied to the alert: urgent alerts go at once whatever is set (on call, they cannot be
    /// turned off), declines and expiries skip the digest, quiet hours hold back non-urgent "at once" e-mails.
    /// </summary>
    public static DeliveryPlan Schedule(Alert alert, NotificationPreferences preferences, DateTimeOffset now)
    {
        if (Categories.IsUrgent(alert.Category))
            return new DeliveryPlan(DeliveryMode.Immediate, now);
        var mode = preferences.ModeFor(alert.Category);
        if (mode == DeliveryMode.DailyDigest && alert.AtOnce)
            mode = DeliveryMode.Immediate;
        return mode switch
        {
            DeliveryMode.Off => new DeliveryPlan(DeliveryMode.Off, now),
            DeliveryMode.DailyDigest => new DeliveryPlan(DeliveryMode.DailyDigest, ParisTime.NextDigest(now)),
            _ => new DeliveryPlan(DeliveryMode.Immediate, preferences.QuietHours?.EndAfter(now) ?? now),
        };
    }
}
