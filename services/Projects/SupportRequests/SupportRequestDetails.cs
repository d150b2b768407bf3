using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Projects.SupportRequests;

public enum SupportKind { ModelDocument, FundingFileReview, LegalQuestion, PartnerContact, Other }

public enum SupportStatus { Open, Answered, Closed }

public sealed record SupportMessage(string Text, string By, bool FromCoordinator, DateTimeOffset At);

public sealed record SupportRequested(Guid RequestId, Guid ProjectId, Guid LeadOrganisationId, SupportKind Kind, string Message, string By, DateTimeOffset At);

public sealed record SupportRequestAssigned(Guid RequestId, string CoordinatorUserId, string By, DateTimeOffset At);

public sealed record SupportMessagePosted(Guid RequestId, SupportMessage Message);

public sealed record SupportRequestClosed(Guid RequestId, string By, DateTimeOffset At);

/// <summary>A support request and its thread; its response clock runs from the request to the first coordinator answer.</summary>
public sealed record SupportRequestDetails(
    Guid Id, Guid ProjectId, Guid LeadOrganisationId, SupportKind Kind, SupportStatus Status, string? AssignedTo,
    IReadOnlyList<SupportMessage> Messages, DateTimeOffset RequestedAt, DateTimeOffset? FirstAnsweredAt, DateTimeOffset? ClosedAt)
{
    public double? ResponseHours => FirstAnsweredAt is { } answered ? Math.Round((answered - RequestedAt).TotalHours, 2) : null;
}

public static class SupportEvolution
{
    public static SupportRequestDetails? Evolve(SupportRequestDetails? s, object @event) => (s, @event) switch
    {
        (null, SupportRequested r) => new SupportRequestDetails(r.RequestId, r.ProjectId, r.LeadOrganisationId, r.Kind, SupportStatus.Open, null,
            [new SupportMessage(r.Message, r.By, false, r.At)], r.At, null, null),
        (null, _) => null,
        (_, SupportRequestAssigned a) => s with { AssignedTo = a.CoordinatorUserId },
        (_, SupportMessagePosted m) => s with
        {
            Messages = [.. s.Messages, m.Message],
            Status = m.Message.FromCoordinator && s.Status == SupportStatus.Open ? SupportStatus.Answered : s.Status,
            FirstAnsweredAt = s.FirstAnsweredAt ?? (m.Message.FromCoordinator ? m.Message.At : null),
        },
        (_, SupportRequestClosed c) => s with { Status = SupportStatus.Closed, ClosedAt = c.At },
        _ => s,
    };
}

public sealed partial class SupportRequestProjection : SingleStreamProjection<SupportRequestDetails, Guid>
{
    public override SupportRequestDetails? Evolve(SupportRequestDetails? snapshot, Guid id, IEvent e) => SupportEvolution.Evolve(snapshot, e.Data);
}
