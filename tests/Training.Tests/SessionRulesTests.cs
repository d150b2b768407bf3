using Coordination.DirectoryView;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Coordination.Training.Interventions.Recording;
using Coordination.Training.Modules;
using Coordination.Training.Modules.Revising;
using Coordination.Training.Sessions;
using Coordination.Training.Sessions.Cancelling;
using Coordination.Training.Sessions.CancellingRegistration;
using Coordination.Training.Sessions.Closing;
using Coordination.Training.Sessions.Evaluating;
using Coordination.Training.Sessions.GettingDetails;
using Coordination.Training.Sessions.RecordingAttendance;
using Coordination.Training.Sessions.Registering;
using Xunit;

namespace Coordination.Training.Tests;

public class SessionRulesTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Starts = Now.AddDays(10);
    private static readonly Trainer IscgTrainer = new("Formatrice ISCG", Network.Aniscg, "trainer-1");
    private static readonly CurrentUser Coordinator = new("coord-1", Roles.NationalCoordinator, null);

    private static Participant P(string id, Network network = Network.FranceVictimes) => new(id, "Personne " + id, Guid.NewGuid(), network);

    private static TrainingSession Open(int capacity) => new object[]
    {
        new SessionScheduled(Id, Guid.NewGuid(), 1, "Module", Audience.Both, 180, Starts, Starts.AddHours(3), "Bobigny", null, "93",
            [IscgTrainer, new Trainer("Formateur AAV", Network.FranceVictimes, null)], capacity, Starts.AddDays(-2), "coord-1", Now),
        new RegistrationOpened(Id, "coord-1", Now),
    }.Aggregate((TrainingSession?)null, SessionEvolution.Evolve)!;

    private static TrainingSession Then(TrainingSession s, IEnumerable<object> events) => events.Aggregate((TrainingSession?)s, SessionEvolution.Evolve)!;

    private static CurrentUser Staff(string userId) => new(userId, Roles.AssociationStaff, Guid.NewGuid());

    // The commands as their endpoints build them: each caller acts for themselves unless a coordinator acts for them.
    private static IReadOnlyList<object> Register(TrainingSession s, Participant p, DateTimeOffset at) =>
        RegisterEndpoint.Decide(new Register(p, Staff(p.UserId), at), s);

    private static IReadOnlyList<object> CancelRegistration(TrainingSession s, string userId, DateTimeOffset at) =>
        CancelRegistrationEndpoint.Decide(new CancelRegistration(userId, Staff(userId), at), s);

    private static IReadOnlyList<object> RecordAttendance(TrainingSession s, IReadOnlyList<string> present, CurrentUser by, DateTimeOffset at) =>
        RecordAttendanceEndpoint.Decide(new RecordAttendance(present, by, at), s);

    private static IReadOnlyList<object> Evaluate(TrainingSession s, string userId, int rating, string? comment, DateTimeOffset at) =>
        EvaluateSessionEndpoint.Decide(new EvaluateSession(rating, comment, Staff(userId), at), s);

    [Fact]
    public void Beyond_capacity_people_go_to_the_waiting_list_in_order()
    {
        var s = Open(capacity: 2);
        foreach (var id in new[] { "a", "b", "c", "d" })
            s = Then(s, Register(s, P(id), Now));

        Assert.Equal(["a", "b"], s.Registered.Select(p => p.UserId));
        Assert.Equal(["c", "d"], s.Waitlist.Select(p => p.UserId));
        Assert.True(s.IsFull);
    }

    [Fact]
    public void A_cancellation_promotes_the_first_on_the_waiting_list()
    {
        var s = Open(capacity: 1);
        s = Then(s, Register(s, P("a"), Now));
        s = Then(s, Register(s, P("b"), Now));
        s = Then(s, Register(s, P("c"), Now));

        var events = CancelRegistration(s, "a", Now);
        s = Then(s, events);

        Assert.IsType<WaitlistedParticipantPromoted>(events[1]);
        Assert.Equal(["b"], s.Registered.Select(p => p.UserId));
        Assert.Equal(["c"], s.Waitlist.Select(p => p.UserId));
    }

    [Fact]
    public void Leaving_the_waiting_list_promotes_nobody()
    {
        var s = Open(capacity: 1);
        s = Then(s, Register(s, P("a"), Now));
        s = Then(s, Register(s, P("b"), Now));

        Assert.Single(CancelRegistration(s, "b", Now));
    }

    [Fact]
    public void No_double_registration_and_none_after_registration_closes()
    {
        var s = Open(capacity: 5);
        s = Then(s, Register(s, P("a"), Now));

        Assert.Throws<BusinessRuleViolation>(() => Register(s, P("a"), Now));
        var closed = Assert.Throws<BusinessRuleViolation>(() => Register(s, P("z"), Starts.AddDays(-1)));
        Assert.Contains("closes depuis le", closed.Message);
    }

    [Fact]
    public void Attendance_is_for_trainers_or_coordinators_after_the_start_and_for_registered_people_only()
    {
        var s = Open(capacity: 5);
        s = Then(s, Register(s, P("a"), Now));
        s = Then(s, Register(s, P("b", Network.Aniscg), Now));

        Assert.Throws<BusinessRuleViolation>(() => RecordAttendance(s, ["a"], Coordinator, Now));
        Assert.Throws<AccessDenied>(() => RecordAttendance(s, ["a"], new CurrentUser("x", Roles.AssociationStaff, Guid.NewGuid()), Starts));
        Assert.Throws<BusinessRuleViolation>(() => RecordAttendance(s, ["a", "stranger"], Coordinator, Starts));
        var trainer = new CurrentUser("trainer-1", Roles.IscgWorker, Guid.NewGuid());
        s = Then(s, RecordAttendance(s, ["a"], trainer, Starts.AddHours(3)));
        Assert.Equal(SessionStatus.Held, s.Status);
    }

    [Fact]
    public void Only_attendees_evaluate_and_only_once()
    {
        var s = Open(capacity: 5);
        s = Then(s, Register(s, P("a"), Now));
        s = Then(s, Register(s, P("b"), Now));
        Assert.Throws<BusinessRuleViolation>(() => Evaluate(s, "a", 5, null, Now));
        s = Then(s, RecordAttendance(s, ["a"], Coordinator, Starts));

        s = Then(s, Evaluate(s, "a", 4, "Très utile", Starts.AddHours(4)));
        Assert.Throws<BusinessRuleViolation>(() => Evaluate(s, "a", 5, null, Starts.AddHours(5)));
        Assert.Throws<BusinessRuleViolation>(() => Evaluate(s, "b", 5, null, Starts.AddHours(5)));
    }

    [Fact]
    public void A_cancelled_session_cannot_be_held_and_a_held_one_cannot_be_cancelled()
    {
        var cancelled = Then(Open(5), CancelSessionEndpoint.Decide(new CancelSession("Formatrice malade", Coordinator, Now), Open(5)));
        Assert.Throws<BusinessRuleViolation>(() => RecordAttendance(cancelled, [], Coordinator, Starts));
        Assert.Throws<BusinessRuleViolation>(() => Register(cancelled, P("a"), Now));

        var held = Then(Open(5), RecordAttendance(Open(5), [], Coordinator, Starts));
        Assert.Throws<BusinessRuleViolation>(() => CancelSessionEndpoint.Decide(new CancelSession("trop tard", Coordinator, Now), held));
        Assert.Equal(SessionStatus.Closed, Then(held, CloseSessionEndpoint.Decide(new CloseSession(Coordinator, Starts.AddDays(1)), held)).Status);
    }

    [Fact]
    public void A_joint_intervention_needs_an_iscg_post_and_an_association()
    {
        KnownOrganisation Org(string kind) => new(Guid.NewGuid(), kind, ["93"], true, true, true, 1, 1);

        Assert.NotNull(RecordJointInterventionEndpoint.JointRuleViolation([Org("iscg-post"), Org("iscg-post")]));
        Assert.NotNull(RecordJointInterventionEndpoint.JointRuleViolation([Org("victim-support-association"), Org("partner")]));
        Assert.Null(RecordJointInterventionEndpoint.JointRuleViolation([Org("iscg-post"), Org("victim-support-association"), Org("partner")]));
    }

    [Fact]
    public void A_retired_module_is_not_revised_and_an_unchanged_revision_is_nothing()
    {
        var content = new ModuleContent("Titre", "Objectifs", Audience.Both, 120, TrainingFormat.Remote, []);
        var module = new TrainingModule(Guid.NewGuid(), 1, content, false);

        Assert.Empty(ReviseModuleEndpoint.Decide(new ReviseModule(content, "c", Now), module));
        var revised = Assert.IsType<ModuleRevised>(Assert.Single(ReviseModuleEndpoint.Decide(new ReviseModule(content with { DurationMinutes = 180 }, "c", Now), module)));
        Assert.Equal(2, revised.Version);
        Assert.Throws<BusinessRuleViolation>(() => ReviseModuleEndpoint.Decide(new ReviseModule(content, "c", Now), module with { Retired = true }));
    }

    [Fact]
    public void Allowed_actions_are_the_commands_own_guards_for_each_caller()
    {
        var s = Open(capacity: 1);
        var camille = Staff("camille");
        var trainer = new CurrentUser("trainer-1", Roles.IscgWorker, Guid.NewGuid());

        Assert.Equal(["register"], SessionActions.For(s, camille, Now));
        Assert.Equal(["cancelSession", "rescheduleSession"], SessionActions.For(s, Coordinator, Now));
        // Coordinators register others "on behalf", never themselves.
        Assert.DoesNotContain("register", SessionActions.For(s, new CurrentUser("admin-1", Roles.Admin, null), Now));

        s = Then(s, Register(s, P("camille"), Now));
        Assert.Equal(["cancelRegistration"], SessionActions.For(s, camille, Now));
        // Full: the next person may still register (on the waiting list).
        Assert.Equal(["register"], SessionActions.For(s, Staff("dominique"), Now));
        // Registration closes two days before: nothing left to do for a newcomer.
        Assert.Empty(SessionActions.For(s, Staff("dominique"), Starts.AddDays(-1)));

        Assert.Equal(["recordAttendance"], SessionActions.For(s, trainer, Starts));
        s = Then(s, RecordAttendance(s, ["camille"], trainer, Starts));
        Assert.Equal(["evaluateSession"], SessionActions.For(s, camille, Starts.AddHours(4)));
        Assert.Equal(["recordAttendance", "closeSession"], SessionActions.For(s, Coordinator, Starts.AddHours(4)));
        s = Then(s, Evaluate(s, "camille", 4, null, Starts.AddHours(4)));
        Assert.Empty(SessionActions.For(s, camille, Starts.AddHours(5)));
    }

    [Fact]
    public void The_read_model_stands_for_the_same_decision_state()
    {
        var s = Open(capacity: 1);
        s = Then(s, Register(s, P("a"), Now));
        s = Then(s, Register(s, P("b"), Now));
        var details = new SessionDetails(Id, Guid.NewGuid(), 1, "Module", Audience.Both, 180, Starts, Starts.AddHours(3), "Bobigny", null, "93",
            s.Trainers, 1, Starts.AddDays(-2), SessionStatus.Full, s.Registered, s.Waitlist, [], [], null, 4);

        var state = details.State();

        Assert.Equal(SessionStatus.RegistrationOpen, state.Status);
        Assert.Equal(s.Registered, state.Registered);
        Assert.Equal(s.Waitlist, state.Waitlist);
        Assert.Equal((s.Capacity, s.StartsAt, s.RegistrationClosesAt), (state.Capacity, state.StartsAt, state.RegistrationClosesAt));
    }
}
