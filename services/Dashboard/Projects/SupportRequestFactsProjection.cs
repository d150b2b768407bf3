using Coordination.Contracts.Projects;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Dashboard.Projects;

public sealed partial class SupportRequestFactsProjection : SingleStreamProjection<SupportRequestFacts, Guid>
{
    public SupportRequestFactsProjection()
    {
        IncludeType<SupportRequestOpened>();
        IncludeType<SupportRequestAnswered>();
        IncludeType<SupportRequestClosed>();
    }

    public override SupportRequestFacts? Evolve(SupportRequestFacts? snapshot, Guid id, IEvent e)
    {
        if (e.Data is not (SupportRequestOpened or SupportRequestAnswered or SupportRequestClosed)) return snapshot;
        var contract = (Coordination.Contracts.IIntegrationEvent)e.Data;
        var f = snapshot ?? new SupportRequestFacts(id, Guid.Empty, "other", null, null, false, DateTimeOffset.MinValue);
        f = f with { LastEventAt = contract.OccurredAt > f.LastEventAt ? contract.OccurredAt.ToUniversalTime() : f.LastEventAt };
        return e.Data switch
        {
            SupportRequestOpened o => f with { ProjectId = o.ProjectId, Kind = o.Kind, OpenedAt = o.OccurredAt.ToUniversalTime() },
            SupportRequestAnswered a => f with { ProjectId = a.ProjectId, Kind = a.Kind, ResponseHours = f.ResponseHours ?? a.ResponseHours },
            SupportRequestClosed c => f with { ProjectId = c.ProjectId, Closed = true },
            _ => f,
        };
    }
}
