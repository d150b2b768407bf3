using Coordination.Contracts.Projects;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Dashboard.Projects;

public sealed record FundingLineFacts(Guid LineId, string Funder, decimal Requested, decimal? Granted, string Decision, long Version);

/// <summary>
/// What the indicators need of one project: its current stage (highest source version wins), when it last changed
/// stage, its funding lines (each by its own latest version) and its overdue milestones.
/// </summary>
public sealed record ProjectFacts(
    Guid Id, string? Type, string? Stage, long StageVersion, string[] Departements, Guid? LeadOrganisationId, DateTimeOffset? StageChangedAt,
    FundingLineFacts[] FundingLines, Guid[] OverdueMilestones, DateTimeOffset LastEventAt);

public sealed partial class ProjectFactsProjection : SingleStreamProjection<ProjectFacts, Guid>
{
    public ProjectFactsProjection()
    {
        IncludeType<ProjectStageChanged>();
        IncludeType<ProjectFundingLineChanged>();
        IncludeType<ProjectMilestoneOverdue>();
    }

    public override ProjectFacts? Evolve(ProjectFacts? snapshot, Guid id, IEvent e)
    {
        if (e.Data is not (ProjectStageChanged or ProjectFundingLineChanged or ProjectMilestoneOverdue)) return snapshot;
        var contract = (Coordination.Contracts.IIntegrationEvent)e.Data;
        var f = snapshot ?? new ProjectFacts(id, null, null, 0, [], null, null, [], [], DateTimeOffset.MinValue);
        f = f with { LastEventAt = contract.OccurredAt > f.LastEventAt ? contract.OccurredAt.ToUniversalTime() : f.LastEventAt };
        return e.Data switch
        {
            ProjectStageChanged s when s.SourceVersion > f.StageVersion => f with
            {
                Type = s.Type, Stage = s.Stage, StageVersion = s.SourceVersion, Departements = [.. s.Departements],
                LeadOrganisationId = s.LeadOrganisationId, StageChangedAt = s.OccurredAt.ToUniversalTime(),
            },
            ProjectFundingLineChanged l when f.FundingLines.FirstOrDefault(x => x.LineId == l.LineId) is not { } known || known.Version < l.SourceVersion =>
                f with
                {
                    FundingLines = [.. f.FundingLines.Where(x => x.LineId != l.LineId),
                        new FundingLineFacts(l.LineId, l.Funder, l.AmountRequested, l.AmountGranted, l.Decision, l.SourceVersion)],
                },
            ProjectMilestoneOverdue m when !f.OverdueMilestones.Contains(m.MilestoneId) => f with { OverdueMilestones = [.. f.OverdueMilestones, m.MilestoneId] },
            _ => f,
        };
    }
}

/// <summary>A support request a project sent to the national coordinators.</summary>
public sealed record SupportRequestFacts(
    Guid Id, Guid ProjectId, string Kind, DateTimeOffset? OpenedAt, double? ResponseHours, bool Closed, DateTimeOffset LastEventAt);

public sealed partial class SupportRequestFactsProjection : SingleStreamProjection<SupportRequestFacts, Guid>
{
    public SupportRequestFactsProjection()
    {
        IncludeType<SupportRequestOpened>();
        IncludeType<SupportRequestAnswered>();
        IncludeType<SupportRequestClosed>();
    }

    public override SupportRequestFacts? Evolve(SupportRequestFacts? snapshot, Guid id, IEvent e)
    {
        if (e.Data is not (SupportRequestOpened or SupportRequestAnswered or SupportRequestClosed)) return snapshot;
        var contract = (Coordination.Contracts.IIntegrationEvent)e.Data;
        var f = snapshot ?? new SupportRequestFacts(id, Guid.Empty, "other", null, null, false, DateTimeOffset.MinValue);
        f = f with { LastEventAt = contract.OccurredAt > f.LastEventAt ? contract.OccurredAt.ToUniversalTime() : f.LastEventAt };
        return e.Data switch
        {
            SupportRequestOpened o => f with { ProjectId = o.ProjectId, Kind = o.Kind, OpenedAt = o.OccurredAt.ToUniversalTime() },
            SupportRequestAnswered a => f with { ProjectId = a.ProjectId, Kind = a.Kind, ResponseHours = f.ResponseHours ?? a.ResponseHours },
            SupportRequestClosed c => f with { ProjectId = c.ProjectId, Closed = true },
            _ => f,
        };
    }
}
