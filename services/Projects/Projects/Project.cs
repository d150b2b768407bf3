using Coordination.ServiceDefaults.Http;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Projects.Projects;

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
            Milestones = [.. p.Milestones.Select(m => m.MilestoneId == e.MilestoneId ? m with { CompletedOn = e.CompletedOn } : m)], LastEventAt = e.At,
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

/// <summary>The pure rules of a project. Messages are French.</summary>
public static class ProjectDecisions
{
    public static IReadOnlyList<object> ChangeStage(Project p, Stage to, string? reason, DateOnly? startDate, string by, DateTimeOffset at)
    {
        if (p.IsEnded) throw new BusinessRuleViolation("Ce projet est terminé (évalué ou abandonné) : son étape ne change plus.");
        if (to == p.Stage) return [];
        if (to == Stage.Abandoned)
            return string.IsNullOrWhiteSpace(reason)
                ? throw new BusinessRuleViolation("Indiquez pourquoi le projet est abandonné.")
                : [new StageChanged(p.Id, p.Stage, to, reason, null, by, at)];
        if (to < p.Stage)
            return string.IsNullOrWhiteSpace(reason)
                ? throw new BusinessRuleViolation("Revenir à une étape précédente demande une raison.")
                : [new StageChanged(p.Id, p.Stage, to, reason, null, by, at)];
        if (to != p.Stage + 1)
            throw new BusinessRuleViolation("Un projet avance d'une étape à la fois.");
        switch (to)
        {
            case Stage.ConventionSigned when p.Funding.All(f => f.Decision != FundingDecision.Granted):
                throw new BusinessRuleViolation("Une convention signée suppose au moins un financement accordé.");
            case Stage.ConventionSigned when !p.Partners.Any(x => x.Signatory):
                throw new BusinessRuleViolation("Une convention signée suppose d'indiquer les partenaires signataires.");
            case Stage.Launched when (startDate ?? p.StartDate) is null:
                throw new BusinessRuleViolation("Le lancement demande une date de démarrage.");
        }
        return [new StageChanged(p.Id, p.Stage, to, reason, to == Stage.Launched ? startDate ?? p.StartDate : null, by, at)];
    }

    public static IReadOnlyList<object> RecordDecision(
        Project p, Guid lineId, FundingDecision decision, decimal? granted, DateOnly date, string? justification, string by, DateTimeOffset at)
    {
        var line = p.Funding.FirstOrDefault(f => f.LineId == lineId) ?? throw new ResourceNotFound("Aucune ligne de financement avec cet identifiant.");
        if (decision == FundingDecision.Granted && granted is not > 0m)
            throw new BusinessRuleViolation("Un financement accordé a un montant positif.");
        if (decision != FundingDecision.Granted && granted is not null)
            throw new BusinessRuleViolation("Seul un financement accordé a un montant accordé.");
        if (granted > line.AmountRequested && string.IsNullOrWhiteSpace(justification))
            throw new BusinessRuleViolation("Le montant accordé dépasse le montant demandé : justifiez-le.");
        return [new FundingDecisionRecorded(p.Id, lineId, decision, granted, date, justification, by, at)];
    }

    public static IReadOnlyList<object> CompleteMilestone(Project p, Guid milestoneId, DateOnly on, string by, DateTimeOffset at)
    {
        var milestone = p.Milestones.FirstOrDefault(m => m.MilestoneId == milestoneId) ?? throw new ResourceNotFound("Aucune étape-clé avec cet identifiant.");
        return milestone.CompletedOn is not null ? [] : [new MilestoneCompleted(p.Id, milestoneId, on, by, at)];
    }

    /// <summary>Once per milestone: the state remembers it was raised.</summary>
    public static IReadOnlyList<object> RaiseOverdueMilestones(Project p, DateOnly today, DateTimeOffset at) =>
        p.IsEnded ? [] : [.. p.Milestones.Where(m => m.CompletedOn is null && !m.OverdueRaised && m.DueDate < today)
            .Select(m => new MilestoneOverdue(p.Id, m.MilestoneId, m.DueDate, at))];
}
