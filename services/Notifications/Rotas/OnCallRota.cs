using Coordination.Notifications.Rules;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Notifications.Rotas;

/// <summary>
/// One slot of an organisation's on-call rota ("astreinte"), in Paris time. A slot whose end is not after its start
/// runs past midnight (18:00 → 08:00 on a Monday covers Monday evening and Tuesday morning).
/// </summary>
public sealed record OnCallSlot(IReadOnlyList<DayOfWeek> Days, TimeOnly From, TimeOnly To, IReadOnlyList<string> UserIds)
{
    public bool Covers(DateTime parisLocal)
    {
        var time = TimeOnly.FromDateTime(parisLocal);
        if (From < To)
            return Days.Contains(parisLocal.DayOfWeek) && time >= From && time < To;
        return (Days.Contains(parisLocal.DayOfWeek) && time >= From)
            || (Days.Contains(parisLocal.AddDays(-1).DayOfWeek) && time < To);
    }
}

public sealed record OnCallRota(Guid Id, Guid OrganisationId, IReadOnlyList<OnCallSlot> Slots)
{
    public static Guid StreamId(Guid organisationId) => DeterministicId.From("on-call-rota", organisationId.ToString());

    /// <summary>Who is on call at <paramref name="now"/>.</summary>
    public IReadOnlySet<string> OnCallAt(DateTimeOffset now)
    {
        var local = ParisTime.ToParis(now);
        return Slots.Where(s => s.Covers(local)).SelectMany(s => s.UserIds).ToHashSet();
    }
}

public sealed record OnCallRotaSet(Guid OrganisationId, IReadOnlyList<OnCallSlot> Slots, string By, DateTimeOffset At);

public sealed partial class OnCallRotaProjection : SingleStreamProjection<OnCallRota, Guid>
{
    public override OnCallRota? Evolve(OnCallRota? snapshot, Guid id, IEvent e) => e.Data switch
    {
        OnCallRotaSet set => new OnCallRota(id, set.OrganisationId, set.Slots),
        _ => snapshot,
    };
}
