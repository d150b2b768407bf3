using Coordination.Projects;
using Coordination.Projects.AddingPartner;
using Coordination.Projects.ChangingStage;
using Coordination.Projects.GettingDetails;
using Coordination.Projects.RaisingOverdueMilestones;
using Coordination.Projects.RecordingFundingDecision;
using Coordination.ServiceDefaults.Security;
using Coordination.ServiceDefaults.Http;
using Xunit;

namespace Coordination.Projects.Tests;

public class ProjectRulesTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static Project Created(DateOnly? targetStart = null) => ProjectEvolution.Evolve(null, new ProjectCreated(Id, "Poste ISCG à Aubervilliers",
        ProjectType.NewIscgPost, ["93"], Guid.NewGuid(), "Créer un second poste", 85_000.00m, targetStart, null, "u", Now))!;

    private static readonly CurrentUser Coordinator = new("u", Roles.NationalCoordinator, null);

    private static IReadOnlyList<object> ChangeStage(Project p, Stage to, string? reason = null, DateOnly? startDate = null) =>
        ChangeStageEndpoint.Decide(new ChangeStage(to, reason, startDate, Coordinator, Now), p);

    private static IReadOnlyList<object> RecordDecision(Project p, Guid lineId, FundingDecision decision, decimal? granted, string? justification = null) =>
        RecordFundingDecisionEndpoint.Decide(new RecordFundingDecision(lineId, decision, granted, new DateOnly(2026, 9, 1), justification, Coordinator, Now), p);

    private static Project Then(Project p, params IEnumerable<object>[] decisions) =>
        decisions.SelectMany(d => d).Aggregate((Project?)p, ProjectEvolution.Evolve)!;

    private static Project At(Stage stage, Project p)
    {
        while (p.Stage < stage)
            p = Then(p, ChangeStage(p, p.Stage + 1));
        return p;
    }

    private static FundingLine Line(Funder funder, decimal requested) => new(Guid.NewGuid(), funder, null, requested, 2026, 2028, FundingDecision.Pending, null, null, null);

    [Fact]
    public void A_project_moves_forward_one_stage_at_a_time()
    {
        var p = Created();
        Assert.Throws<BusinessRuleViolation>(() => ChangeStage(p, Stage.FundingSearch));
        p = Then(p, ChangeStage(p, Stage.Diagnosis));
        Assert.Equal(Stage.Diagnosis, p.Stage);
    }

    [Fact]
    public void A_signed_convention_needs_a_granted_line_and_signing_partners()
    {
        var p = At(Stage.FundingSearch, Created());
        var line = Line(Funder.StateFipd, 30_000m);

        Assert.Contains("financement accordé", Assert.Throws<BusinessRuleViolation>(() => ChangeStage(p, Stage.ConventionSigned)).Message);
        p = Then(p, [new FundingLineAdded(Id, line, "u", Now)], RecordDecision(p with { Funding = [line] }, line.LineId, FundingDecision.Granted, 25_000m));
        Assert.Contains("signataires", Assert.Throws<BusinessRuleViolation>(() => ChangeStage(p, Stage.ConventionSigned)).Message);
        p = Then(p, [new PartnerAdded(Id, new ProjectPartner(Guid.NewGuid(), "cofinanceur", Signatory: true), "u", Now)]);

        Assert.Equal(Stage.ConventionSigned, Then(p, ChangeStage(p, Stage.ConventionSigned)).Stage);
    }

    [Fact]
    public void Launching_needs_a_start_date_and_going_back_or_abandoning_needs_a_reason()
    {
        var signed = Created() with { Stage = Stage.ConventionSigned };

        Assert.Throws<BusinessRuleViolation>(() => ChangeStage(signed, Stage.Launched));
        var launched = Then(signed, ChangeStage(signed, Stage.Launched, startDate: new DateOnly(2027, 1, 4)));
        Assert.Equal(new DateOnly(2027, 1, 4), launched.StartDate);
        Assert.Throws<BusinessRuleViolation>(() => ChangeStage(launched, Stage.FundingSearch));
        Assert.Equal(Stage.FundingSearch, Then(launched, ChangeStage(launched, Stage.FundingSearch, "Un financeur s'est retiré")).Stage);
        Assert.Throws<BusinessRuleViolation>(() => ChangeStage(launched, Stage.Abandoned, " "));
        var abandoned = Then(launched, ChangeStage(launched, Stage.Abandoned, "Pas de cofinancement"));
        Assert.Throws<BusinessRuleViolation>(() => ChangeStage(abandoned, Stage.Running));
    }

    [Fact]
    public void Funding_totals_are_exact_decimal_euros()
    {
        var lines = new[] { Line(Funder.StateFipd, 0.10m), Line(Funder.Departement, 0.20m), Line(Funder.Caf, 33_333.33m) };
        var p = Created() with { Funding = lines };
        p = Then(p, RecordDecision(p, lines[0].LineId, FundingDecision.Granted, 0.10m));
        p = Then(p, RecordDecision(p, lines[1].LineId, FundingDecision.Granted, 0.20m));
        p = Then(p, RecordDecision(p, lines[2].LineId, FundingDecision.Refused, null));

        Assert.Equal(33_333.63m, p.Requested);
        Assert.Equal(0.30m, p.Granted); // 0.1 + 0.2 in floating point would not be 0.3
    }

    [Fact]
    public void Granted_above_requested_needs_a_justification()
    {
        var line = Line(Funder.Commune, 10_000m);
        var p = Created() with { Funding = [line] };

        Assert.Throws<BusinessRuleViolation>(() => RecordDecision(p, line.LineId, FundingDecision.Granted, 12_000m));
        Assert.Single(RecordDecision(p, line.LineId, FundingDecision.Granted, 12_000m, "Revalorisation votée en conseil municipal"));
        Assert.Throws<BusinessRuleViolation>(() => RecordDecision(p, line.LineId, FundingDecision.Refused, 5m));
    }

    [Fact]
    public void An_overdue_milestone_is_raised_once_and_a_completed_one_never()
    {
        var late = new Milestone(Guid.NewGuid(), "Fiche de poste validée", new DateOnly(2026, 11, 1), null, false);
        var done = new Milestone(Guid.NewGuid(), "Diagnostic partagé", new DateOnly(2026, 10, 1), new DateOnly(2026, 9, 30), false);
        var future = new Milestone(Guid.NewGuid(), "Recrutement", new DateOnly(2027, 2, 1), null, false);
        var p = Created() with { Milestones = [late, done, future] };

        var raised = MilestoneWatcher.RaiseOverdueMilestones(p, new DateOnly(2026, 11, 27), Now);
        Assert.Equal(late.MilestoneId, Assert.IsType<MilestoneOverdue>(Assert.Single(raised)).MilestoneId);
        Assert.Empty(MilestoneWatcher.RaiseOverdueMilestones(Then(p, raised), new DateOnly(2026, 12, 27), Now));
    }

    [Fact]
    public void Allowed_actions_are_the_commands_own_guards_for_each_caller()
    {
        var lead = Guid.NewGuid();
        var partner = Guid.NewGuid();
        var p = Created() with { LeadOrganisationId = lead, Partners = [new ProjectPartner(partner, "cofinanceur", true)] };
        string[] everything = ["changeStage", "addPartner", "addFundingLine", "recordFundingDecision", "addMilestone", "completeMilestone",
            "attachDocument", "openSupportRequest"];

        Assert.Equal(everything, ProjectActions.For(p, new CurrentUser("l", Roles.AssociationStaff, lead)));
        Assert.Equal(everything, ProjectActions.For(p, Coordinator));
        Assert.Empty(ProjectActions.For(p, new CurrentUser("p", Roles.PartnerStaff, partner)));
        Assert.Empty(ProjectActions.For(p, new CurrentUser("o", Roles.AssociationStaff, Guid.NewGuid())));
        // An abandoned project's stage no longer changes; the rest of its record can still be completed.
        var abandoned = Then(p, ChangeStage(p, Stage.Abandoned, "Pas de cofinancement"));
        Assert.DoesNotContain("changeStage", ProjectActions.For(abandoned, Coordinator));
        Assert.Contains("addMilestone", ProjectActions.For(abandoned, Coordinator));
    }

    [Fact]
    public void Only_its_organisations_and_the_coordinators_follow_a_project()
    {
        var lead = Guid.NewGuid();
        var partner = Guid.NewGuid();
        var p = Created() with { LeadOrganisationId = lead, Partners = [new ProjectPartner(partner, "appui", false)] };

        Assert.True(p.Involves(new CurrentUser("l", Roles.IscgWorker, lead)));
        Assert.True(p.Involves(new CurrentUser("p", Roles.PartnerStaff, partner)));
        Assert.True(p.Involves(Coordinator));
        Assert.False(p.Involves(new CurrentUser("o", Roles.AssociationStaff, Guid.NewGuid())));
        Assert.Throws<AccessDenied>(() => ChangeStageEndpoint.Decide(
            new ChangeStage(Stage.Diagnosis, null, null, new CurrentUser("p", Roles.PartnerStaff, partner), Now), p));
    }

    [Fact]
    public void A_partner_must_be_known_to_the_directory()
    {
        var p = Created();
        var id = Guid.NewGuid();
        var known = new Coordination.DirectoryView.KnownOrganisation(id, "partner", ["93"], true, true, true, 1, 1);
        AddPartner Add(Coordination.DirectoryView.KnownOrganisation? organisation) => new(id, organisation, "cofinanceur", true, Coordinator, Now);

        var refused = Assert.Throws<InvalidRequest>(() => AddPartnerEndpoint.Decide(Add(null), p));
        Assert.Contains("organisationId", refused.Errors.Keys);
        Assert.Throws<InvalidRequest>(() => AddPartnerEndpoint.Decide(Add(known with { Registered = false }), p));
        Assert.Equal(id, Assert.IsType<PartnerAdded>(Assert.Single(AddPartnerEndpoint.Decide(Add(known), p))).Partner.OrganisationId);
    }

    [Theory]
    [InlineData(12.345, true)]
    [InlineData(-1, true)]
    [InlineData(100000000.01, true)]
    [InlineData(1234.56, false)]
    public void Money_is_positive_with_at_most_cents(double amount, bool refused)
    {
        var validation = new ProjectValidation();
        validation.Money((decimal)amount, "amount", required: true);
        Assert.Equal(refused, !validation.IsValid);
    }
}
