namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// A message a consumer has processed, recorded in the same transaction as its effect
/// (<see cref="IntegrationEventInbox.ProcessOnce"/>): a second delivery finds it and does nothing.
/// </summary>
public sealed record ProcessedMessage(Guid Id, string MessageType, DateTimeOffset ProcessedAt);
