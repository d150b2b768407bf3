using Coordination.Contracts.Training;
using Coordination.Dashboard.Indicators;
using Coordination.Contracts;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Dashboard.Training;

/// <summary>
/// What the indicators need of one training session. Registration counts follow the highest source version (they
/// may arrive out of order); being held or cancelled is final.
/// </summary>
public sealed record TrainingSessionFacts(
    Guid Id, string Departement, string? Audience, int Capacity, DateTimeOffset? StartsAt,
    int Registered, int Waitlisted, long CountsVersion, bool Held, bool Cancelled,
    int AttendedIscg, int AttendedAssociations, int AttendedPartners, int RatingSum, int Evaluations, DateTimeOffset LastEventAt);

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
                Departement = s.Departement, Audience = s.Audience, Capacity = s.Capacity, StartsAt = s.StartsAt.ToUniversalTime(),
            }, s.SourceVersion, 0, 0, s.Capacity),
            TrainingRegistrationsChanged c => Counts(f with { Departement = c.Departement }, c.SourceVersion, c.Registered, c.Waitlisted, c.Capacity),
            TrainingSessionHeld h => Counts(f with
            {
                Departement = h.Departement, Held = true,
                AttendedIscg = h.AttendedIscg, AttendedAssociations = h.AttendedAssociations, AttendedPartners = h.AttendedPartners,
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

/// <summary>A joint intervention (presentation to the police, joint case review…), as recorded.</summary>
public sealed record JointInterventionFacts(
    Guid Id, string Departement, string Kind, DateTimeOffset OnDay, int IscgPosts, int Associations, int Partners, int AttendanceCount,
    DateTimeOffset LastEventAt);

public sealed partial class JointInterventionFactsProjection : SingleStreamProjection<JointInterventionFacts, Guid>
{
    public JointInterventionFactsProjection() => IncludeType<JointInterventionRecorded>();

    public override JointInterventionFacts? Evolve(JointInterventionFacts? snapshot, Guid id, IEvent e) =>
        e.Data is JointInterventionRecorded r
            ? new JointInterventionFacts(id, r.Departement, r.Kind, ParisTime.StartOf(r.Date), r.IscgPosts, r.Associations, r.Partners,
                r.AttendanceCount, r.OccurredAt.ToUniversalTime())
            : snapshot;
}
