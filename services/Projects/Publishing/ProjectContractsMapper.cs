using Coordination.Contracts;
using Coordination.Projects.SupportRequests;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events;
using Published = Coordination.Contracts.Projects;

namespace Coordination.Projects.Publishing;

/// <summary>Projects per stage and département, funding per funder type, milestones overdue, support response times.</summary>
public sealed class ProjectContractsMapper : IIntegrationEventMapper
{
    public IReadOnlyCollection<Type> PublishedEventTypes { get; } =
    [
        typeof(ProjectCreated), typeof(StageChanged), typeof(FundingLineAdded), typeof(FundingDecisionRecorded), typeof(MilestoneOverdue),
        typeof(SupportRequested), typeof(SupportMessagePosted), typeof(SupportRequests.SupportRequestClosed),
    ];

    public async Task<IReadOnlyList<(IEvent Stored, IIntegrationEvent Contract)>> MapAsync(
        IReadOnlyList<IEvent> page, IDocumentOperations operations, CancellationToken ct)
    {
        var ids = page.Select(e => e.StreamId).Distinct().ToArray();
        var projects = (await operations.LoadManyAsync<Project>(ct, ids)).ToDictionary(p => p.Id);
        var requests = (await operations.LoadManyAsync<SupportRequestDetails>(ct, ids)).ToDictionary(r => r.Id);
        var mapped = new List<(IEvent, IIntegrationEvent)>();
        foreach (var e in page)
        {
            IIntegrationEvent? contract = e.Data switch
            {
                ProjectCreated c => new Published.ProjectStageChanged(c.ProjectId, Code(c.Type), c.Departements, c.LeadOrganisationId, Code(Stage.Idea), null, e.Version, c.At),
                StageChanged s when projects.TryGetValue(e.StreamId, out var p) =>
                    new Published.ProjectStageChanged(p.Id, Code(p.Type), p.Departements, p.LeadOrganisationId, Code(s.To), Code(s.From), e.Version, s.At),
                FundingLineAdded f => new Published.ProjectFundingLineChanged(f.ProjectId, f.Line.LineId, Code(f.Line.Funder), f.Line.AmountRequested, null,
                    Code(FundingDecision.Pending), e.Version, f.At),
                FundingDecisionRecorded d when projects.TryGetValue(e.StreamId, out var p) && p.Funding.FirstOrDefault(l => l.LineId == d.LineId) is { } line =>
                    new Published.ProjectFundingLineChanged(d.ProjectId, d.LineId, Code(line.Funder), line.AmountRequested, d.AmountGranted, Code(d.Decision), e.Version, d.At),
                MilestoneOverdue m => new Published.ProjectMilestoneOverdue(m.ProjectId, m.MilestoneId, m.DueDate, e.Version, m.At),
                SupportRequested r => new Published.SupportRequestOpened(r.RequestId, r.ProjectId, Code(r.Kind), e.Version, r.At),
                // Only the first coordinator answer starts nothing new: it is the response time.
                SupportMessagePosted { Message.FromCoordinator: true } m when requests.TryGetValue(e.StreamId, out var r) && r.FirstAnsweredAt == m.Message.At =>
                    new Published.SupportRequestAnswered(r.Id, r.ProjectId, Code(r.Kind), r.ResponseHours ?? 0, e.Version, m.Message.At),
                SupportRequests.SupportRequestClosed c when requests.TryGetValue(e.StreamId, out var r) =>
                    new Published.SupportRequestClosed(r.Id, r.ProjectId, e.Version, c.At),
                _ => null,
            };
            if (contract is not null) mapped.Add((e, contract));
        }
        return mapped;
    }

    private static string Code<T>(T value) where T : struct, Enum => ContractCodes.Of(value);
}
