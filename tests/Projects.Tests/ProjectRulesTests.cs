using Coordination.Projects;
using Coordination.Projects.Projects;
using Coordination.ServiceDefaults.Http;
using Xunit;

namespace Coordination.Projects.Tests;

public class ProjectRulesTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static Project Created(DateOnly? targetStart = null) => ProjectEvolution.Evolve(null, new ProjectCreated(Id, "Poste ISCG à Aubervilliers",
        ProjectType.NewIscgPost, ["93"], Guid.NewGuid(), "Créer un second poste", 85_000.00m, targetStart, null, "u", Now))!;

    private static Project Then(Project p, params IEnumerable<object>[] decisions) =>
        decisions.SelectMany(d => d).Aggregate((Project?)p, ProjectEvolution.Evolve)!;

    private static Project At(Stage stage, Project p)
    {
        while (p.Stage < stage)
            p = Then(p, ProjectDecisions.ChangeStage(p, p.Stage + 1, null, null, "u", Now));
        return p;
    }

    private static FundingLine Line(Funder funder, decimal requested) => new(Guid.NewGuid(), funder, null, requested, 2026, 2028, FundingDecision.Pending, null, null, null);

    [Fact]
    public void A_project_moves_forward_one_stage_at_a_time()
    {
        var p = Created();
        Assert.Throws<BusinessRuleViolation>(() => ProjectDecisions.ChangeStage(p, Stage.FundingSearch, null, null, "u", Now));
        p = Then(p, ProjectDecisions.ChangeStage(p, Stage.Diagnosis, null, null, "u", Now));
        Assert.Equal(Stage.Diagnosis, p.Stage);
    }

    [Fact]
    public void A_signed_convention_needs_a_granted_line_and_signing_partners()
    {
        var p = At(Stage.FundingSearch, Created());
        var line = Line(Funder.StateFipd, 30_000m);

        Assert.Contains("financement accordé", Assert.Throws<BusinessRuleViolation>(() => ProjectDecisions.ChangeStage(p, Stage.ConventionSigned, null, null, "u", Now)).Message);
        p = Then(p, [new FundingLineAdded(Id, line, "u", Now)], ProjectDecisions.RecordDecision(p with { Funding = [line] }, line.LineId, FundingDecision.Granted, 25_000m, new DateOnly(2026, 10, 1), null, "u", Now));
        Assert.Contains("signataires", Assert.Throws<BusinessRuleViolation>(() => ProjectDecisions.ChangeStage(p, Stage.ConventionSigned, null, null, "u", Now)).Message);
        p = Then(p, [new PartnerAdded(Id, new ProjectPartner(Guid.NewGuid(), "cofinanceur", Signatory: true), "u", Now)]);

        Assert.Equal(Stage.ConventionSigned, Then(p, ProjectDecisions.ChangeStage(p, Stage.ConventionSigned, null, null, "u", Now)).Stage);
    }

    [Fact]
    public void Launching_needs_a_start_date_and_going_back_or_abandoning_needs_a_reason()
    {
        var signed = Created() with { Stage = Stage.ConventionSigned };

        Assert.Throws<BusinessRuleViolation>(() => ProjectDecisions.ChangeStage(signed, Stage.Launched, null, null, "u", Now));
        var launched = Then(signed, ProjectDecisions.ChangeStage(signed, Stage.Launched, null, new DateOnly(2027, 1, 4), "u", Now));
        Assert.Equal(new DateOnly(2027, 1, 4), launched.StartDate);
        Assert.Throws<BusinessRuleViolation>(() => ProjectDecisions.ChangeStage(launched, Stage.FundingSearch, null, null, "u", Now));
        Assert.Equal(Stage.FundingSearch, Then(launched, ProjectDecisions.ChangeStage(launched, Stage.FundingSearch, "Un financeur s'est retiré", null, "u", Now)).Stage);
        Assert.Throws<BusinessRuleViolation>(() => ProjectDecisions.ChangeStage(launched, Stage.Abandoned, " ", null, "u", Now));
        var abandoned = Then(launched, ProjectDecisions.ChangeStage(launched, Stage.Abandoned, "Pas de cofinancement", null, "u", Now));
        Assert.Throws<BusinessRuleViolation>(() => ProjectDecisions.ChangeStage(abandoned, Stage.Running, null, null, "u", Now));
    }

    [Fact]
    public void Funding_totals_are_exact_decimal_euros()
    {
        var lines = new[] { Line(Funder.StateFipd, 0.10m), Line(Funder.Departement, 0.20m), Line(Funder.Caf, 33_333.33m) };
        var p = Created() with { Funding = lines };
        p = Then(p, ProjectDecisions.RecordDecision(p, lines[0].LineId, FundingDecision.Granted, 0.10m, new DateOnly(2026, 9, 1), null, "u", Now));
        p = Then(p, ProjectDecisions.RecordDecision(p, lines[1].LineId, FundingDecision.Granted, 0.20m, new DateOnly(2026, 9, 1), null, "u", Now));
        p = Then(p, ProjectDecisions.RecordDecision(p, lines[2].LineId, FundingDecision.Refused, null, new DateOnly(2026, 9, 1), null, "u", Now));

        Assert.Equal(33_333.63m, p.Requested);
        Assert.Equal(0.30m, p.Granted); // 0.1 + 0.2 in floating point would not be 0.3
    }

    [Fact]
    public void Granted_above_requested_needs_a_justification()
    {
        var line = Line(Funder.Commune, 10_000m);
        var p = Created() with { Funding = [line] };

        Assert.Throws<BusinessRuleViolation>(() => ProjectDecisions.RecordDecision(p, line.LineId, FundingDecision.Granted, 12_000m, new DateOnly(2026, 9, 1), null, "u", Now));
        Assert.Single(ProjectDecisions.RecordDecision(p, line.LineId, FundingDecision.Granted, 12_000m, new DateOnly(2026, 9, 1), "Revalorisation votée en conseil municipal", "u", Now));
        Assert.Throws<BusinessRuleViolation>(() => ProjectDecisions.RecordDecision(p, line.LineId, FundingDecision.Refused, 5m, new DateOnly(2026, 9, 1), null, "u", Now));
    }

    [Fact]
    public void An_overdue_milestone_is_raised_once_and_a_completed_one_never()
    {
        var late = new Milestone(Guid.NewGuid(), "Fiche de poste validée", new DateOnly(2026, 11, 1), null, false);
        var done = new Milestone(Guid.NewGuid(), "Diagnostic partagé", new DateOnly(2026, 10, 1), new DateOnly(2026, 9, 30), false);
        var future = new Milestone(Guid.NewGuid(), "Recrutement", new DateOnly(2027, 2, 1), null, false);
        var p = Created() with { Milestones = [late, done, future] };

        var raised = ProjectDecisions.RaiseOverdueMilestones(p, new DateOnly(2026, 11, 27), Now);
        Assert.Equal(late.MilestoneId, Assert.IsType<MilestoneOverdue>(Assert.Single(raised)).MilestoneId);
        Assert.Empty(ProjectDecisions.RaiseOverdueMilestones(Then(p, raised), new DateOnly(2026, 12, 27), Now));
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
