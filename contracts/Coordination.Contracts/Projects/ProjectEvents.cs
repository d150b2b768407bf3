// The namespace is part of each message's identity on the bus: never move these types.
namespace Coordination.Contracts.Projects;

/// <param name="Type">new-iscg-post, joint-reception-point, partnership-convention, training-programme, awareness-campaign, other.</param>
/// <param name="Stage">idea, diagnosis, funding-search, convention-signed, launched, running, evaluated, abandoned.</param>
public sealed record ProjectStageChanged(
    Guid ProjectId, string Type, IReadOnlyList<string> Departements, Guid LeadOrganisationId, string Stage, string? PreviousStage,
    long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => ProjectId;
}

/// <summary>A funding line's state (amounts in euros, as decimals).</summary>
/// <param name="Funder">state-fipd, departement, commune, caf, region, ars, foundation, other.</param>
/// <param name="Decision">pending, granted, refused.</param>
public sealed record ProjectFundingLineChanged(
    Guid ProjectId, Guid LineId, string Funder, decimal AmountRequested, decimal? AmountGranted, string Decision,
    long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => ProjectId;
}

public sealed record ProjectMilestoneOverdue(
    Guid ProjectId, Guid MilestoneId, DateOnly DueDate, long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => ProjectId;
}

/// <param name="Kind">model-document, funding-file-review, legal-question, partner-contact, other.</param>
public sealed record SupportRequestOpened(
    Guid RequestId, Guid ProjectId, string Kind, long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => RequestId;
}

/// <summary>The first answer of a national coordinator: the response time the Dashboard reports.</summary>
public sealed record SupportRequestAnswered(
    Guid RequestId, Guid ProjectId, string Kind, double ResponseHours, long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => RequestId;
}

public sealed record SupportRequestClosed(
    Guid RequestId, Guid ProjectId, long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => RequestId;
}
