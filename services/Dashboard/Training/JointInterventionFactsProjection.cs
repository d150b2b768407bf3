using Coordination.Contracts.Training;
using Coordination.Dashboard.Indicators;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Dashboard.Training;

public sealed partial class JointInterventionFactsProjection : SingleStreamProjection<JointInterventionFacts, Guid>
{
    public JointInterventionFactsProjection() => IncludeType<JointInterventionRecorded>();

    public override JointInterventionFacts? Evolve(JointInterventionFacts? snapshot, Guid id, IEvent e) =>
        e.Data is JointInterventionRecorded r
            ? new JointInterventionFacts(id, r.Departement, r.Kind, ParisTime.StartOf(r.Date), r.IscgPosts, r.Associations, r.Partners,
                r.AttendanceCount, r.OccurredAt.ToUniversalTime())
            : snapshot;
}
