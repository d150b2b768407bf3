using Coordination.DirectoryView;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Coordination.Training.Interventions;
using Coordination.Training.Modules;
using Coordination.Training.Sessions;
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

    [Fact]
    public void Beyond_capacity_people_go_to_the_waiting_list_in_order()
    {
        var s = Open(capacity: 2);
        foreach (var id in new[] { "a", "b", "c", "d" })
            s = Then(s, SessionDecisions.Register(s, P(id), id, Now));

        Assert.Equal(["a", "b"], s.Registered.Select(p => p.UserId));
        Assert.Equal(["c", "d"], s.Waitlist.Select(p => p.UserId));
        Assert.True(s.IsFull);
    }

    [Fact]
    public void A_cancellation_promotes_the_first_on_the_waiting_list()
    {
        var s = Open(capacity: 1);
        s = Then(s, SessionDecisions.Register(s, P("a"), "a", Now));
        s = Then(s, SessionDecisions.Register(s, P("b"), "b", Now));
        s = Then(s, SessionDecisions.Register(s, P("c"), "c", Now));

        var events = SessionDecisions.CancelRegistration(s, "a", "a", Now);
        s = Then(s, events);

        Assert.IsType<WaitlistedParticipantPromoted>(events[1]);
        Assert.Equal(["b"], s.Registered.Select(p => p.UserId));
        Assert.Equal(["c"], s.Waitlist.Select(p => p.UserId));
    }

    [Fact]
    public void Leaving_the_waiting_list_promotes_nobody()
    {
        var s = Open(capacity: 1);
        s = Then(s, SessionDecisions.Register(s, P("a"), "a", Now));
        s = Then(s, SessionDecisions.Register(s, P("b"), "b", Now));

        Assert.Single(SessionDecisions.CancelRegistration(s, "b", "b", Now));
    }

    [Fact]
    public void No_double_registration_and_none_after_registration_closes()
    {
        var s = Open(capacity: 5);
        s = Then(s, SessionDecisions.Register(s, P("a"), "a", Now));

        Assert.Throws<BusinessRuleViolation>(() => SessionDecisions.Register(s, P("a"), "a", Now));
        var closed = Assert.Throws<BusinessRuleViolation>(() => SessionDecisions.Register(s, P("z"), "z", Starts.AddDays(-1)));
        Assert.Contains("closes depuis le", closed.Message);
    }

    [Fact]
    public void Attendance_is_for_trainers_or_coordinators_after_the_start_and_for_registered_people_only()
    {
        var s = Open(capacity: 5);
        s = Then(s, SessionDecisions.Register(s, P("a"), "a", Now));
        s = Then(s, SessionDecisions.Register(s, P("b", Network.Aniscg), "b", Now));

        Assert.Throws<BusinessRuleViolation>(() => SessionDecisions.RecordAttendance(s, ["a"], Coordinator, Now));
        Assert.Throws<AccessDenied>(() => SessionDecisions.RecordAttendance(s, ["a"], new CurrentUser("x", Roles.AssociationStaff, Guid.NewGuid()), Starts));
        Assert.Throws<BusinessRuleViolation>(() => SessionDecisions.RecordAttendance(s, ["a", "stranger"], Coordinator, Starts));
        var trainer = new CurrentUser("trainer-1", Roles.IscgWorker, Guid.NewGuid());
        s = Then(s, SessionDecisions.RecordAttendance(s, ["a"], trainer, Starts.AddHours(3)));
        Assert.Equal(SessionStatus.Held, s.Status);
    }

    [Fact]
    public void Only_attendees_evaluate_and_only_once()
    {
        var s = Open(capacity: 5);
        s = Then(s, SessionDecisions.Register(s, P("a"), "a", Now));
        s = Then(s, SessionDecisions.Register(s, P("b"), "b", Now));
        Assert.Throws<BusinessRuleViolation>(() => SessionDecisions.Evaluate(s, "a", 5, null, Now));
        s = Then(s, SessionDecisions.RecordAttendance(s, ["a"], Coordinator, Starts));

        s = Then(s, SessionDecisions.Evaluate(s, "a", 4, "Très utile", Starts.AddHours(4)));
        Assert.Throws<BusinessRuleViolation>(() => SessionDecisions.Evaluate(s, "a", 5, null, Starts.AddHours(5)));
        Assert.Throws<BusinessRuleViolation>(() => SessionDecisions.Evaluate(s, "b", 5, null, Starts.AddHours(5)));
    }

    [Fact]
    public void A_cancelled_session_cannot_be_held_and_a_held_one_cannot_be_cancelled()
    {
        var cancelled = Then(Open(5), SessionDecisions.Cancel(Open(5), "Formatrice malade", "coord-1", Now));
        Assert.Throws<BusinessRuleViolation>(() => SessionDecisions.RecordAttendance(cancelled, [], Coordinator, Starts));
        Assert.Throws<BusinessRuleViolation>(() => SessionDecisions.Register(cancelled, P("a"), "a", Now));

        var held = Then(Open(5), SessionDecisions.RecordAttendance(Open(5), [], Coordinator, Starts));
        Assert.Throws<BusinessRuleViolation>(() => SessionDecisions.Cancel(held, "trop tard", "coord-1", Now));
        Assert.Equal(SessionStatus.Closed, Then(held, SessionDecisions.Close(held, "coord-1", Starts.AddDays(1))).Status);
    }

    [Fact]
    public void A_joint_intervention_needs_an_iscg_post_and_an_association()
    {
        KnownOrganisation Org(string kind) => new(Guid.NewGuid(), kind, ["93"], true, true, true, 1, 1);

        Assert.NotNull(InterventionsApi.JointRuleViolation([Org("iscg-post"), Org("iscg-post")]));
        Assert.NotNull(InterventionsApi.JointRuleViolation([Org("victim-support-association"), Org("partner")]));
        Assert.Null(InterventionsApi.JointRuleViolation([Org("iscg-post"), Org("victim-support-association"), Org("partner")]));
    }

    [Fact]
    public void A_retired_module_is_not_revised_and_an_unchanged_revision_is_nothing()
    {
        var content = new ModuleContent("Titre", "Objectifs", Audience.Both, 120, TrainingFormat.Remote, []);
        var module = new TrainingModule(Guid.NewGuid(), 1, content, false);

        Assert.Empty(ModuleEvolution.Revise(module, content, "c", Now));
        var revised = Assert.IsType<ModuleRevised>(Assert.Single(ModuleEvolution.Revise(module, content with { DurationMinutes = 180 }, "c", Now)));
        Assert.Equal(2, revised.Version);
        Assert.Throws<BusinessRuleViolation>(() => ModuleEvolution.Revise(module with { Retired = true }, content, "c", Now));
    }
}
