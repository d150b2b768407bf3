using Coordination.Training.Modules;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Training.Sessions.GettingDetails;

public sealed record EvaluationDetails(string UserId, int Rating, string? Comment, DateTimeOffset At);

/// <summary>Everything about a session, kept inline with its events; callers see it through the views below.</summary>
public sealed record SessionDetails(
    Guid Id, Guid ModuleId, int ModuleVersion, string ModuleTitle, Audience Audience, int DurationMinutes,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? Link, string Departement, IReadOnlyList<Trainer> Trainers,
    int Capacity, DateTimeOffset RegistrationClosesAt, SessionStatus Status, IReadOnlyList<Participant> Registered,
    IReadOnlyList<Participant> Waitlist, IReadOnlyList<string> Present, IReadOnlyList<EvaluationDetails> Evaluations,
    string? CancelledBecause, long Version, DateTimeOffset? RemindedFor = null)
{
    /// <summary>The decision state this read model stands for, so that queries can run the commands' own guards.</summary>
    public TrainingSession State() => new(Id, Status == SessionStatus.Full ? SessionStatus.RegistrationOpen : Status, Capacity, StartsAt,
        RegistrationClosesAt, Departement, Trainers, Registered, Waitlist, Present, [.. Evaluations.Select(e => e.UserId)], RemindedFor);
}

public sealed partial class SessionDetailsProjection : SingleStreamProjection<SessionDetails, Guid>
{
    public override SessionDetails? Evolve(SessionDetails? s, Guid id, IEvent e)
    {
        if (s is null)
            return e.Data is SessionScheduled x
                ? new SessionDetails(x.SessionId, x.ModuleId, x.ModuleVersion, x.ModuleTitle, x.Audience, x.DurationMinutes, x.StartsAt, x.EndsAt,
                    x.Place, x.Link, x.Departement, x.Trainers, x.Capacity, x.RegistrationClosesAt, SessionStatus.Scheduled, [], [], [], [], null, e.Version)
                : null;
        var d = s with { Version = e.Version };
        d = e.Data switch
        {
            RegistrationOpened => d with { Status = SessionStatus.RegistrationOpen },
            ParticipantRegistered r => d with { Registered = [.. d.Registered, r.Participant] },
            ParticipantWaitlisted w => d with { Waitlist = [.. d.Waitlist, w.Participant] },
            RegistrationCancelled c => d with
            {
                Registered = [.. d.Registered.Where(p => p.UserId != c.UserId)],
                Waitlist = [.. d.Waitlist.Where(p => p.UserId != c.UserId)],
            },
            WaitlistedParticipantPromoted p => d with
            {
                Registered = [.. d.Registered, d.Waitlist.First(w => w.UserId == p.UserId)],
                Waitlist = [.. d.Waitlist.Where(w => w.UserId != p.UserId)],
            },
            AttendanceRecorded a => d with { Status = SessionStatus.Held, Present = a.Present },
            EvaluationSubmitted v => d with { Evaluations = [.. d.Evaluations, new EvaluationDetails(v.UserId, v.Rating, v.Comment, v.At)] },
            SessionClosed => d with { Status = SessionStatus.Closed },
            SessionCancelled c => d with { Status = SessionStatus.Cancelled, CancelledBecause = c.Reason },
            SessionRescheduled m => d with { StartsAt = m.StartsAt, EndsAt = m.EndsAt, RegistrationClosesAt = m.RegistrationClosesAt },
            RegistrantsReminded r => d with { RemindedFor = r.StartsAt },
            _ => d,
        };
        // "Full" is shown, not stored as an event: it follows from the counts.
        return d.Status is SessionStatus.RegistrationOpen or SessionStatus.Full
            ? d with { Status = d.Registered.Count >= d.Capacity ? SessionStatus.Full : SessionStatus.RegistrationOpen }
            : d;
    }
}
