namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// A message that can never be processed as it is (missing id, impossible content). Not retried:
/// it goes straight to the <c>_error</c> queue, where <c>/health</c> shows it to operators.
/// </summary>
public sealed class PoisonMessage(string reason) : Exception(reason);
