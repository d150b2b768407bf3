using Coordination.Training.Sessions.Cancelling;
using Coordination.Training.Sessions.CancellingRegistration;
using Coordination.Training.Sessions.Closing;
using Coordination.Training.Sessions.Evaluating;
using Coordination.Training.Sessions.OpeningRegistration;
using Coordination.Training.Sessions.RecordingAttendance;
using Coordination.Training.Sessions.Registering;
using Coordination.Training.Sessions.Rescheduling;

namespace Coordination.Training.Sessions.GettingDetails;

/// <summary>What the caller may do on a session now: each command's own Decide, run for the caller on the current state.</summary>
public static class SessionActions
{
    public static IReadOnlyList<string> For(TrainingSession state, CurrentUser user, DateTimeOffset now) => Decisions.Allowed(
        ("openRegistration", () => OpenRegistrationEndpoint.Decide(new OpenRegistration(user, now), state)),
        ("register", () => RegisterEndpoint.Decide(Register.Self(user, null, now), state)),
        ("cancelRegistration", () => CancelRegistrationEndpoint.Decide(new CancelRegistration(user.UserId, user, now), state)),
        // Attendance is decided on the list the caller sends: an empty list asks only whether they may record it now.
        ("recordAttendance", () => RecordAttendanceEndpoint.Decide(new RecordAttendance([], user, now), state)),
        ("evaluateSession", () => EvaluateSessionEndpoint.Decide(new EvaluateSession(5, null, user, now), state)),
        ("closeSession", () => CloseSessionEndpoint.Decide(new CloseSession(user, now), state)),
        ("cancelSession", () => CancelSessionEndpoint.Decide(new CancelSession("-", user, now), state)),
        // Asked with a start the session does not have, so that only who and when decide.
        ("rescheduleSession", () => RescheduleSessionEndpoint.Decide(
            new RescheduleSession(state.StartsAt.AddDays(1), state.StartsAt.AddDays(1), TimeSpan.Zero, user, now), state)));
}
