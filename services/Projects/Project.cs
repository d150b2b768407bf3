using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Projects;

public enum ProjectType { NewIscgPost, JointReceptionPoint, PartnershipConvention, TrainingProgramme, AwarenessCampaign, Other }

/// <summary>The path of a project, in order; Abandoned ends it from anywhere.</summary>
public enum Stage { Idea, Diagnosis, FundingSearch, ConventionSigned, Launched, Running, Evaluated, Abandoned }

public enum Funder { StateFipd, Departement, Commune, Caf, Region, Ars, Foundation, Other }

public enum FundingDecision { Pending, Granted, Refused }

public sealed record ProjectPartner(Guid OrganisationId, string Role, bool Signatory);

public sealed record FundingLine(
    Guid LineId, Funder Funder, string? FunderName, decimal AmountRequested, int FromYear, int ToYear,
    FundingDecision Decision, decimal? AmountGranted, DateOnly? DecisionDate, string? Justification);

public sealed record Milestone(Guid MilestoneId, string Title, DateOnly DueDate, DateOnly? CompletedOn, bool OverdueRaised);

public sealed record ProjectCreated(
    Guid ProjectId, string Title, ProjectType Type, IReadOnlyList<string> Departements, Guid LeadOrganisationId, string Description,
    decimal Budget, DateOnly? TargetStart, DateOnly? TargetEnd, string By, DateTimeOffset At);

public sealed record PartnerAdded(Guid ProjectId, ProjectPartner Partner, string By, DateTimeOffset At);

public sealed record StageChanged(Guid ProjectId, Stage From, Stage To, string? Reason, DateOnly? StartDate, string By, DateTimeOffset At);

public sealed record FundingLineAdded(Guid ProjectId, FundingLine Line, string By, DateTimeOffset At);

public sealed record FundingDecisionRecorded(
    Guid ProjectId, Guid LineId, FundingDecision Decision, decimal? AmountGranted, DateOnly DecisionDate, string? Justification, string By, DateTimeOffset At);

public sealed record MilestoneAdded(Guid ProjectId, Milestone Milestone, string By, DateTimeOffset At);

public sealed record MilestoneCompleted(Guid ProjectId, Guid MilestoneId, DateOnly CompletedOn, string By, DateTimeOffset At);

public sealed record MilestoneOverdue(Guid ProjectId, Guid MilestoneId, DateOnly DueDate, DateTimeOffset At);

public sealed record DocumentAttached(
    Guid ProjectId, Guid DocumentId, string FileName, string ContentType, long Size, string Sha256, string By, DateTimeOffset At);

public sealed record Project(
    Guid Id, string Title, ProjectType Type, IReadOnlyList<string> Departements, Guid LeadOrganisationId, Stage Stage, decimal Budget,
    DateOnly? StartDate, IReadOnlyList<ProjectPartner> Partners, IReadOnlyList<FundingLine> Funding, IReadOnlyList<Milestone> Milestones,
    DateTimeOffset LastEventAt)
{
    public bool IsEnded => Stage is Stage.Evaluated or Stage.Abandoned;
    public decimal Requested => Funding.Sum(f => f.AmountRequested);
    public decimal Granted => Funding.Where(f => f.Decision == FundingDecision.Granted).Sum(f => f.AmountGranted ?? 0m);
}

public static class ProjectEvolution
{
    public static Project? Evolve(Project? p, object @event) => (p, @event) switch
    {
        (null, ProjectCreated c) => new Project(c.ProjectId, c.Title, c.Type, c.Departements, c.LeadOrganisationId, Stage.Idea, c.Budget,
            c.TargetStart, [], [], [], c.At),
        (null, _) => null,
        (_, PartnerAdded e) => p with { Partners = [.. p.Partners.Where(x => x.OrganisationId != e.Partner.OrganisationId), e.Partner], LastEventAt = e.At },
        (_, StageChanged e) => p with { Stage = e.To, StartDate = e.StartDate ?? p.StartDate, LastEventAt = e.At },
        (_, FundingLineAdded e) => p with { Funding = [.. p.Funding, e.Line], LastEventAt = e.At },
        (_, FundingDecisionRecorded e) => p with
        {
            Funding = [.. p.Funding.Select(f => f.LineId == e.LineId
                ? f with { Decision = e.Decision, AmountGranted = e.AmountGranted, DecisionDate = e.DecisionDate, Justification = e.Justification }
                : f)],
            LastEventAt = e.At,
        },
        (_, MilestoneAdded e) => p with { Milestones = [.. p.Milestones, e.Milestone], LastEventAt = e.At },
        (_, MilestoneCompleted e) => p with
        {
            Milestones = [.. p.Milestones.Select(m => m.MilestoneId == e.MilestoneId ? m with { CompletedOn = e.CompletedOn } : m)],
            LastEventAt = e.At,
        },
        // Raised by the watcher: it says nothing about the project moving, so LastEventAt stays.
        (_, MilestoneOverdue e) => p with { Milestones = [.. p.Milestones.Select(m => m.MilestoneId == e.MilestoneId ? m with { OverdueRaised = true } : m)] },
        (_, DocumentAttached e) => p with { LastEventAt = e.At },
        _ => p,
    };
}

public sealed partial class ProjectProjection : SingleStreamProjection<Project, Guid>
{
    public override Project? Evolve(Project? snapshot, Guid id, IEvent e) => ProjectEvolution.Evolve(snapshot, e.Data);
}
