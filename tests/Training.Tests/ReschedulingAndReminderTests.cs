using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Coordination.Training.Modules;
using Coordination.Training.Sessions;
using Coordination.Training.Sessions.Cancelling;
using Coordination.Training.Sessions.Registering;
using Coordination.Training.Sessions.Reminding;
using Coordination.Training.Sessions.Rescheduling;
using Xunit;

namespace Coordination.Training.Tests;

/// <summary>Moving a session to new dates, and the reminder two days before: pure decisions on the session's stream.</summary>
public class ReschedulingAndReminderTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Starts = Now.AddDays(10);
    private static readonly CurrentUser Coordinator = new("coord-1", Roles.NationalCoordinator, null);
    private static readonly TimeSpan TwoDays = TimeSpan.FromDays(2);

    private static TrainingSession Open() => new object[]
    {
        new SessionScheduled(Id, Guid.NewGuid(), 1, "Module", Audience.Both, 180, Starts, Starts.AddHours(3), "Bobigny", null, "93",
            [new Trainer("Formatrice ISCG", Network.Aniscg, "trainer-1"), new Trainer("Formateur AAV", Network.FranceVictimes, null)], 5,
            Starts - TwoDays, "coord-1", Now),
        new RegistrationOpened(Id, "coord-1", Now),
    }.Aggregate((TrainingSession?)null, SessionEvolution.Evolve)!;

    private static TrainingSession Then(TrainingSession s, IEnumerable<object> events) => events.Aggregate((TrainingSession?)s, SessionEvolution.Evolve)!;

    private static TrainingSession WithRegistrant(TrainingSession s) =>
        Then(s, RegisterEndpoint.Decide(Register.Self(new CurrentUser("aav-1", Roles.AssociationStaff, Guid.NewGuid()), null, Now), s));

    [Fact]
    public void A_coordinator_moves_a_session_and_registration_closes_again_before_the_new_start()
    {
        var later = Starts.AddDays(7);
        var moved = Assert.IsType<SessionRescheduled>(Assert.Single(
            RescheduleSessionEndpoint.Decide(new RescheduleSession(later, later.AddHours(3), TwoDays, Coordinator, Now), Open())));

        Assert.Equal((later, Starts, later - TwoDays), (moved.StartsAt, moved.PreviousStartsAt, moved.RegistrationClosesAt));
        Assert.Equal(later, Then(Open(), [moved]).StartsAt);
    }

    [Fact]
    public void Only_coordinators_move_sessions_and_not_cancelled_ones_nor_to_the_same_start()
    {
        var staff = new CurrentUser("aav-1", Roles.AssociationStaff, Guid.NewGuid());
        Assert.Throws<AccessDenied>(() => RescheduleSessionEndpoint.Decide(new RescheduleSession(Starts.AddDays(1), Starts.AddDays(2), TwoDays, staff, Now), Open()));
        var cancelled = Then(Open(), CancelSessionEndpoint.Decide(new CancelSession("Salle indisponible", Coordinator, Now), Open()));
        Assert.Throws<BusinessRuleViolation>(() =>
            RescheduleSessionEndpoint.Decide(new RescheduleSession(Starts.AddDays(1), Starts.AddDays(2), TwoDays, Coordinator, Now), cancelled));
        Assert.Throws<BusinessRuleViolation>(() =>
            RescheduleSessionEndpoint.Decide(new RescheduleSession(Starts, Starts.AddHours(3), TwoDays, Coordinator, Now), Open()));
    }

    [Fact]
    public void The_reminder_is_due_two_days_before_once_and_again_after_a_move()
    {
        var session = WithRegistrant(Open());
        Assert.Empty(RemindRegistrants.Decide(session, TwoDays, Starts - TwoDays - TimeSpan.FromMinutes(1)));

        var reminded = Assert.IsType<RegistrantsReminded>(Assert.Single(RemindRegistrants.Decide(session, TwoDays, Starts - TwoDays)));
        Assert.Equal(["aav-1"], reminded.UserIds);
        var after = Then(session, [reminded]);
        Assert.Empty(RemindRegistrants.Decide(after, TwoDays, Starts.AddHours(-1)));

        // Moved one day later: reminded again, two days before the new start.
        var moved = Then(after, RescheduleSessionEndpoint.Decide(
            new RescheduleSession(Starts.AddDays(1), Starts.AddDays(1).AddHours(3), TwoDays, Coordinator, Starts.AddDays(-2)), after));
        Assert.Single(RemindRegistrants.Decide(moved, TwoDays, Starts.AddDays(-1)));
    }

    [Fact]
    public void No_reminder_without_registrants_nor_for_a_cancelled_session()
    {
        Assert.Empty(RemindRegistrants.Decide(Open(), TwoDays, Starts.AddDays(-1)));
        var session = WithRegistrant(Open());
        var cancelled = Then(session, CancelSessionEndpoint.Decide(new CancelSession("Formatrice malade", Coordinator, Now), session));
        Assert.Empty(RemindRegistrants.Decide(cancelled, TwoDays, Starts.AddDays(-1)));
    }
}
