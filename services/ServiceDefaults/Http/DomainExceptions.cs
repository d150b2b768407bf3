namespace Coordination.ServiceDefaults.Http;

/// <summary>
/// A command that the current state does not allow (an illegal transition, a rule of the agreement).
/// Answered 409 with <see cref="Exception.Message"/>, which must therefore be French and free of personal data.
/// </summary>
public sealed class BusinessRuleViolation(string frenchMessage) : Exception(frenchMessage);

/// <summary>The resource does not exist — or the caller may not know that it does. Answered 404.</summary>
public sealed class ResourceNotFound(string frenchMessage = "Cette ressource n'existe pas ou vous n'y avez pas accès.")
    : Exception(frenchMessage);

/// <summary>The caller's <c>If-Match</c> names a version that is no longer current. Answered 412.</summary>
public sealed class StaleVersion(long expected, long actual)
    : Exception($"La ressource a été modifiée entre-temps (version attendue {expected}, version actuelle {actual}). Rechargez-la puis recommencez.")
{
    public long Expected { get; } = expected;
    public long Actual { get; } = actual;
}

/// <summary>A request header the API reads (If-Match…) is malformed. Answered 400.</summary>
public sealed class InvalidHeader(string frenchMessage) : Exception(frenchMessage);

/// <summary>The caller is known but may not do this. Answered 403 (use 404 instead where existence itself is private).</summary>
public sealed class AccessDenied(string frenchMessage) : Exception(frenchMessage);

/// <summary>Field errors found where only the current state could tell (e.g. kind-specific fields). Answered 400.</summary>
public sealed class InvalidRequest(IDictionary<string, string[]> errors)
    : Exception("Certaines informations sont invalides.")
{
    public IDictionary<string, string[]> Errors { get; } = errors;
}
