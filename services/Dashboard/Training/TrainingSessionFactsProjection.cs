using Coordination.Contracts.Training;
using Coordination.Contracts;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Dashboard.Training;

public sealed partial class TrainingSessionFactsProjection : SingleStreamProjection<TrainingSessionFacts, Guid>
{
    public TrainingSessionFactsProjection()
    {
        IncludeType<TrainingSessionScheduled>();
        IncludeType<TrainingRegistrationsChanged>();
        IncludeType<TrainingSessionHeld>();
        IncludeType<TrainingSessionCancelled>();
        IncludeType<TrainingEvaluationSubmitted>();
    }

    public override TrainingSessionFacts? Evolve(TrainingSessionFacts? snapshot, Guid id, IEvent e)
    {
        if (e.Data is not IIntegrationEvent contract || e.Data is JointInterventionRecorded) return snapshot;
        var f = snapshot ?? new TrainingSessionFacts(id, "", null, 0, null, 0, 0, 0, false, false, 0, 0, 0, 0, 0, DateTimeOffset.MinValue);
        f = f with { LastEventAt = contract.OccurredAt > f.LastEventAt ? contract.OccurredAt.ToUniversalTime() : f.LastEventAt };
        return e.Data switch
        {
            TrainingSessionScheduled s => Counts(f with
            {
                Departement = s.Departement,
                Audience = s.Audience,
                Capacity = s.Capacity,
                StartsAt = s.StartsAt.ToUniversalTime(),
            }, s.SourceVersion, 0, 0, s.Capacity),
            TrainingRegistrationsChanged c => Counts(f with { Departement = c.Departement }, c.SourceVersion, c.Registered, c.Waitlisted, c.Capacity),
            TrainingSessionHeld h => Counts(f with
            {
                Departement = h.Departement,
                Held = true,
                AttendedIscg = h.AttendedIscg,
                AttendedAssociations = h.AttendedAssociations,
                AttendedPartners = h.AttendedPartners,
                AttendedByOrganisation = h.AttendedByOrganisation ?? f.AttendedByOrganisation,
            }, h.SourceVersion, h.Registered, 0, h.Capacity),
            TrainingSessionCancelled c => Counts(f with { Departement = c.Departement, Cancelled = true }, c.SourceVersion, c.Registered, c.Waitlisted, f.Capacity),
            // Each evaluation is its own message; the inbox drops redelivered ones, so adding is exact.
            TrainingEvaluationSubmitted v => f with { Departement = v.Departement, RatingSum = f.RatingSum + v.Rating, Evaluations = f.Evaluations + 1 },
            _ => f,
        };
    }

    private static TrainingSessionFacts Counts(TrainingSessionFacts f, long version, int registered, int waitlisted, int capacity) =>
        version > f.CountsVersion
            ? f with { Registered = registered, Waitlisted = waitlisted, Capacity = capacity, CountsVersion = version }
            : f;
}
