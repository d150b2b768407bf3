using Coordination.Training.Modules;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Training.Sessions;

public sealed record EvaluationDetails(string UserId, int Rating, string? Comment, DateTimeOffset At);

/// <summary>Everything about a session, kept inline with its events; callers see it through the views below.</summary>
public sealed record SessionDetails(
    Guid Id, Guid ModuleId, int ModuleVersion, string ModuleTitle, Audience Audience, int DurationMinutes,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? Link, string Departement, IReadOnlyList<Trainer> Trainers,
    int Capacity, DateTimeOffset RegistrationClosesAt, SessionStatus Status, IReadOnlyList<Participant> Registered,
    IReadOnlyList<Participant> Waitlist, IReadOnlyList<string> Present, IReadOnlyList<EvaluationDetails> Evaluations,
    string? CancelledBecause, long Version);

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
                Registered = [.. d.Registered.Where(p => p.UserId != c.UserId)], Waitlist = [.. d.Waitlist.Where(p => p.UserId != c.UserId)],
            },
            WaitlistedParticipantPromoted p => d with
            {
                Registered = [.. d.Registered, d.Waitlist.First(w => w.UserId == p.UserId)], Waitlist = [.. d.Waitlist.Where(w => w.UserId != p.UserId)],
            },
            AttendanceRecorded a => d with { Status = SessionStatus.Held, Present = a.Present },
            EvaluationSubmitted v => d with { Evaluations = [.. d.Evaluations, new EvaluationDetails(v.UserId, v.Rating, v.Comment, v.At)] },
            SessionClosed => d with { Status = SessionStatus.Closed },
            SessionCancelled c => d with { Status = SessionStatus.Cancelled, CancelledBecause = c.Reason },
            _ => d,
        };
        // "Full" is shown, not stored as an event: it follows from the counts.
        return d.Status is SessionStatus.RegistrationOpen or SessionStatus.Full
            ? d with { Status = d.Registered.Count >= d.Capacity ? SessionStatus.Full : SessionStatus.RegistrationOpen }
            : d;
    }
}

public enum MyRegistration { None, Registered, Waitlisted, Attended }

/// <summary>What anyone signed in sees of a session: no names, only counts and their own place.</summary>
public sealed record SessionView(
    Guid Id, Guid ModuleId, int ModuleVersion, string ModuleTitle, Audience Audience, int DurationMinutes,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? Link, string Departement, IReadOnlyList<Trainer> Trainers,
    int Capacity, int Registered, int Waitlisted, DateTimeOffset RegistrationClosesAt, SessionStatus Status, string? CancelledBecause,
    MyRegistration Me, int? MyWaitlistPosition, double? MeanSatisfaction, long Version)
{
    public static SessionView For(SessionDetails s, string userId)
    {
        var position = s.Waitlist.ToList().FindIndex(p => p.UserId == userId);
        var me = s.Present.Contains(userId) ? MyRegistration.Attended
            : s.Registered.Any(p => p.UserId == userId) ? MyRegistration.Registered
            : position >= 0 ? MyRegistration.Waitlisted
            : MyRegistration.None;
        return new SessionView(s.Id, s.ModuleId, s.ModuleVersion, s.ModuleTitle, s.Audience, s.DurationMinutes, s.StartsAt, s.EndsAt, s.Place,
            s.Link, s.Departement, s.Trainers, s.Capacity, s.Registered.Count, s.Waitlist.Count, s.RegistrationClosesAt, s.Status,
            s.CancelledBecause, me, position >= 0 ? position + 1 : null,
            s.Evaluations.Count == 0 ? null : Math.Round(s.Evaluations.Average(e => e.Rating), 2), s.Version);
    }
}
