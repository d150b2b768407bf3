using Coordination.Contracts.Projects;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Dashboard.Projects;

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
                Type = s.Type,
                Stage = s.Stage,
                StageVersion = s.SourceVersion,
                Departements = [.. s.Departements],
                LeadOrganisationId = s.LeadOrganisationId,
                StageChangedAt = s.OccurredAt.ToUniversalTime(),
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
