using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
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

public sealed record TrainingSession(
    Guid Id, SessionStatus Status, int Capacity, DateTimeOffset StartsAt, DateTimeOffset RegistrationClosesAt, string Departement,
    IReadOnlyList<Trainer> Trainers, IReadOnlyList<Participant> Registered, IReadOnlyList<Participant> Waitlist,
    IReadOnlyList<string> Present, IReadOnlyList<string> Evaluated)
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
            Registered = [.. s.Registered.Where(p => p.UserId != e.UserId)], Waitlist = [.. s.Waitlist.Where(p => p.UserId != e.UserId)],
        },
        (_, WaitlistedParticipantPromoted e) => s with
        {
            Registered = [.. s.Registered, s.Waitlist.First(p => p.UserId == e.UserId)], Waitlist = [.. s.Waitlist.Where(p => p.UserId != e.UserId)],
        },
        (_, AttendanceRecorded e) => s with { Status = SessionStatus.Held, Present = e.Present },
        (_, EvaluationSubmitted e) => s with { Evaluated = [.. s.Evaluated, e.UserId] },
        (_, SessionClosed) => s with { Status = SessionStatus.Closed },
        (_, SessionCancelled) => s with { Status = SessionStatus.Cancelled },
        _ => s,
    };
}

public sealed partial class TrainingSessionProjection : SingleStreamProjection<TrainingSession, Guid>
{
    public override TrainingSession? Evolve(TrainingSession? snapshot, Guid id, IEvent e) => SessionEvolution.Evolve(snapshot, e.Data);
}

/// <summary>The pure rules of a session. Messages are French.</summary>
public static class SessionDecisions
{
    public static IReadOnlyList<object> OpenRegistration(TrainingSession s, string by, DateTimeOffset now) =>
        s.Status == SessionStatus.Scheduled
            ? [new RegistrationOpened(s.Id, by, now)]
            : throw new BusinessRuleViolation("Les inscriptions ne peuvent être ouvertes que pour une session programmée.");

    /// <summary>A place if one is left, else the waiting list, in order; never twice; not once registration has closed.</summary>
    public static IReadOnlyList<object> Register(TrainingSession s, Participant participant, string by, DateTimeOffset now)
    {
        if (s.Status is not SessionStatus.RegistrationOpen)
            throw new BusinessRuleViolation("Les inscriptions ne sont pas ouvertes pour cette session.");
        if (now >= s.RegistrationClosesAt)
            throw new BusinessRuleViolation($"Les inscriptions sont closes depuis le {Paris(s.RegistrationClosesAt)}.");
        if (s.Knows(participant.UserId))
            throw new BusinessRuleViolation("Cette personne est déjà inscrite (ou en liste d'attente) à cette session.");
        return s.IsFull
            ? [new ParticipantWaitlisted(s.Id, participant, by, now)]
            : [new ParticipantRegistered(s.Id, participant, by, now)];
    }

    public static IReadOnlyList<object> CancelRegistration(TrainingSession s, string userId, string by, DateTimeOffset now)
    {
        if (s.Status is SessionStatus.Held or SessionStatus.Closed or SessionStatus.Cancelled || now >= s.StartsAt)
            throw new BusinessRuleViolation("La session a commencé ou n'a plus lieu : l'inscription ne peut plus être annulée.");
        if (!s.Knows(userId))
            throw new BusinessRuleViolation("Cette personne n'est pas inscrite à cette session.");
        var wasRegistered = s.Registered.Any(p => p.UserId == userId);
        List<object> events = [new RegistrationCancelled(s.Id, userId, by, now)];
        if (wasRegistered && s.Waitlist.Count > 0)
            events.Add(new WaitlistedParticipantPromoted(s.Id, s.Waitlist[0].UserId, now));
        return events;
    }

    public static IReadOnlyList<object> RecordAttendance(TrainingSession s, IReadOnlyList<string> present, CurrentUser by, DateTimeOffset now)
    {
        EnsureTrainerOrCoordinator(s, by);
        if (s.Status is SessionStatus.Cancelled or SessionStatus.Closed)
            throw new BusinessRuleViolation("La session est annulée ou close : la présence ne peut plus être saisie.");
        if (now < s.StartsAt)
            throw new BusinessRuleViolation("La présence se saisit une fois la session commencée.");
        var unknown = present.Where(u => s.Registered.All(p => p.UserId != u)).ToList();
        if (unknown.Count > 0)
            throw new BusinessRuleViolation("Seules les personnes inscrites peuvent être déclarées présentes.");
        return [new AttendanceRecorded(s.Id, [.. present.Distinct()], by.UserId, now)];
    }

    public static IReadOnlyList<object> Evaluate(TrainingSession s, string userId, int rating, string? comment, DateTimeOffset now)
    {
        if (s.Status is not (SessionStatus.Held or SessionStatus.Closed))
            throw new BusinessRuleViolation("L'évaluation s'ouvre une fois la présence saisie.");
        if (!s.Present.Contains(userId))
            throw new BusinessRuleViolation("Seules les personnes présentes évaluent la session.");
        if (s.Evaluated.Contains(userId))
            throw new BusinessRuleViolation("Vous avez déjà évalué cette session.");
        return [new EvaluationSubmitted(s.Id, userId, rating, comment, now)];
    }

    public static IReadOnlyList<object> Close(TrainingSession s, string by, DateTimeOffset now) =>
        s.Status == SessionStatus.Held
            ? [new SessionClosed(s.Id, by, now)]
            : throw new BusinessRuleViolation("Seule une session qui a eu lieu (présence saisie) peut être close.");

    public static IReadOnlyList<object> Cancel(TrainingSession s, string reason, string by, DateTimeOffset now) =>
        s.Status is SessionStatus.Scheduled or SessionStatus.RegistrationOpen
            ? [new SessionCancelled(s.Id, reason, by, now)]
            : throw new BusinessRuleViolation("Une session qui a eu lieu, close ou déjà annulée ne peut pas être annulée.");

    public static void EnsureTrainerOrCoordinator(TrainingSession s, CurrentUser user)
    {
        if (!user.IsCoordinatorOrAdmin && s.Trainers.All(t => t.UserId != user.UserId))
            throw new AccessDenied("Seuls les formateurs de la session et les coordinateurs nationaux peuvent faire cela.");
    }

    private static readonly TimeZoneInfo ParisZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static string Paris(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, ParisZone).ToString("dd/MM/yyyy 'à' HH:mm", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));

    public static Network? NetworkOf(string role) => role switch
    {
        Roles.IscgWorker => Network.Aniscg,
        Roles.AssociationStaff => Network.FranceVictimes,
        Roles.PartnerStaff => Network.Partners,
        _ => null,
    };
}
