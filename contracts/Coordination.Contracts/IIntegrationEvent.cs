namespace Coordination.Contracts;

/// <summary>
/// What every integration event carries so that a consumer can order, deduplicate and trace it back.
/// Integration events never carry personal data: ids, codes, dates and counts only.
/// </summary>
public interface IIntegrationEvent
{
    /// <summary>The id of the stream (aggregate) in the publishing service the event comes from.</summary>
    Guid SourceStreamId { get; }

    /// <summary>The version of that stream once this event was appended (1 for the first event).</summary>
    long SourceVersion { get; }

    /// <summary>When the fact happened in the publishing service.</summary>
    DateTimeOffset OccurredAt { get; }
}
