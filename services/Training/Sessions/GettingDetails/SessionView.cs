using Coordination.Training.Modules;

namespace Coordination.Training.Sessions.GettingDetails;

public enum MyRegistration { None, Registered, Waitlisted, Attended }

/// <summary>What anyone signed in sees of a session: no names, only counts, their own place and what they may do now.</summary>
public sealed record SessionView(
    Guid Id, Guid ModuleId, int ModuleVersion, string ModuleTitle, Audience Audience, int DurationMinutes,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? Link, string Departement, IReadOnlyList<Trainer> Trainers,
    int Capacity, int Registered, int Waitlisted, DateTimeOffset RegistrationClosesAt, SessionStatus Status, string? CancelledBecause,
    MyRegistration Me, int? MyWaitlistPosition, double? MeanSatisfaction, IReadOnlyList<string> AllowedActions, long Version)
{
    public static SessionView For(SessionDetails s, CurrentUser user, DateTimeOffset now)
    {
        var position = s.Waitlist.ToList().FindIndex(p => p.UserId == user.UserId);
        var me = s.Present.Contains(user.UserId) ? MyRegistration.Attended
            : s.Registered.Any(p => p.UserId == user.UserId) ? MyRegistration.Registered
            : position >= 0 ? MyRegistration.Waitlisted
            : MyRegistration.None;
        return new SessionView(s.Id, s.ModuleId, s.ModuleVersion, s.ModuleTitle, s.Audience, s.DurationMinutes, s.StartsAt, s.EndsAt, s.Place,
            s.Link, s.Departement, s.Trainers, s.Capacity, s.Registered.Count, s.Waitlist.Count, s.RegistrationClosesAt, s.Status,
            s.CancelledBecause, me, position >= 0 ? position + 1 : null,
            s.Evaluations.Count == 0 ? null : Math.Round(s.Evaluations.Average(e => e.Rating), 2),
            SessionActions.For(s.State(), user, now), s.Version);
    }
}
