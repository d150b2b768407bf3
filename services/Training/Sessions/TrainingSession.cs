using Coordination.Training.Modules;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Training.Sessions;

/// <summary>The two networks of the agreement, and the partners.</summary>
public enum Network { Aniscg, FranceVictimes, Partners }

public enum SessionStatus { Scheduled, RegistrationOpen, Full, Held, Closed, Cancelled }

public sealed record Trainer(string Name, Network Network, string? UserId);

/// <summary>A professional taking part: who they are at work, never more.</summary>
public sealed record Participant(string UserId, string Name, Guid OrganisationId, Network Network);

public sealed record SessionScheduled(
    Guid SessionId, Guid ModuleId, int ModuleVersion, string ModuleTitle, Audience Audience, int DurationMinutes,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? Link, string Departement,
    IReadOnlyList<Trainer> Trainers, int Capacity, DateTimeOffset RegistrationClosesAt, string By, DateTimeOffset At);

public sealed record RegistrationOpened(Guid SessionId, string By, DateTimeOffset At);

public sealed record ParticipantRegistered(Guid SessionId, Participant Participant, string By, DateTimeOffset At);

public sealed record ParticipantWaitlisted(Guid SessionId, Participant Participant, string By, DateTimeOffset At);

public sealed record RegistrationCancelled(Guid SessionId, string UserId, string By, DateTimeOffset At);

/// <summary>A place freed up: the first on the waiting list gets it, automatically.</summary>
public sealed record WaitlistedParticipantPromoted(Guid SessionId, string UserId, DateTimeOffset At);

public sealed record AttendanceRecorded(Guid SessionId, IReadOnlyList<string> Present, string By, DateTimeOffset At);

public sealed record EvaluationSubmitted(Guid SessionId, string UserId, int Rating, string? Comment, DateTimeOffset At);

public sealed record SessionClosed(Guid SessionId, string By, DateTimeOffset At);

public sealed record SessionCancelled(Guid SessionId, string Reason, string By, DateTimeOffset At);

/// <summary>New dates: registration closes again the same time before the new start; registrants are told.</summary>
public sealed record SessionRescheduled(
    Guid SessionId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, DateTimeOffset PreviousStartsAt, DateTimeOffset RegistrationClosesAt,
    string By, DateTimeOffset At);

/// <summary>The registered were reminded of the session starting at <paramref name="StartsAt"/> (once per start date).</summary>
public sealed record RegistrantsReminded(Guid SessionId, DateTimeOffset StartsAt, IReadOnlyList<string> UserIds, DateTimeOffset At);

public sealed record TrainingSession(
    Guid Id, SessionStatus Status, int Capacity, DateTimeOffset StartsAt, DateTimeOffset RegistrationClosesAt, string Departement,
    IReadOnlyList<Trainer> Trainers, IReadOnlyList<Participant> Registered, IReadOnlyList<Participant> Waitlist,
    IReadOnlyList<string> Present, IReadOnlyList<string> Evaluated, DateTimeOffset? RemindedFor = null)
{
    public bool IsFull => Registered.Count >= Capacity;

    public bool Knows(string userId) => Registered.Any(p => p.UserId == userId) || Waitlist.Any(p => p.UserId == userId);
}

public static class SessionEvolution
{
    public static TrainingSession? Evolve(TrainingSession? s, object @event) => (s, @event) switch
    {
        (null, SessionScheduled e) => new TrainingSession(e.SessionId, SessionStatus.Scheduled, e.Capacity, e.StartsAt, e.RegistrationClosesAt,
            e.Departement, e.Trainers, [], [], [], []),
        (null, _) => null,
        (_, RegistrationOpened) => s with { Status = SessionStatus.RegistrationOpen },
        (_, ParticipantRegistered e) => s with { Registered = [.. s.Registered, e.Participant] },
        (_, ParticipantWaitlisted e) => s with { Waitlist = [.. s.Waitlist, e.Participant] },
        (_, RegistrationCancelled e) => s with
        {
            Registered = [.. s.Registered.Where(p => p.UserId != e.UserId)],
            Waitlist = [.. s.Waitlist.Where(p => p.UserId != e.UserId)],
        },
        (_, WaitlistedParticipantPromoted e) => s with
        {
            Registered = [.. s.Registered, s.Waitlist.First(p => p.UserId == e.UserId)],
            Waitlist = [.. s.Waitlist.Where(p => p.UserId != e.UserId)],
        },
        (_, AttendanceRecorded e) => s with { Status = SessionStatus.Held, Present = e.Present },
        (_, EvaluationSubmitted e) => s with { Evaluated = [.. s.Evaluated, e.UserId] },
        (_, SessionClosed) => s with { Status = SessionStatus.Closed },
        (_, SessionCancelled) => s with { Status = SessionStatus.Cancelled },
        (_, SessionRescheduled e) => s with { StartsAt = e.StartsAt, RegistrationClosesAt = e.RegistrationClosesAt },
        (_, RegistrantsReminded e) => s with { RemindedFor = e.StartsAt },
        _ => s,
    };
}

public sealed partial class TrainingSessionProjection : SingleStreamProjection<TrainingSession, Guid>
{
    public override TrainingSession? Evolve(TrainingSession? snapshot, Guid id, IEvent e) => SessionEvolution.Evolve(snapshot, e.Data);
}
