namespace Coordination.Portal.Api;

/// <summary>
/// An account as Identity's API shows it (<c>/api/identity/accounts</c>). Status: invited, active or disabled.
/// <see cref="MfaEnrolledAt"/>: since when an authenticator app guards it (none: null).
/// </summary>
public sealed record AccountView(
    Guid Id, string UserId, string Name, string? Email, string Role, Guid? OrganisationId, bool OrganisationManager,
    string Status, DateTimeOffset? InvitationExpiresAt, DateTimeOffset? LastSignInAt, DateTimeOffset CreatedAt, long Version,
    DateTimeOffset? MfaEnrolledAt = null);

/// <summary>One of the person's open sessions (<c>/api/identity/accounts/me/sessions</c>): an application where they signed in.</summary>
public sealed record AccountSessionView(string Id, string Application, DateTimeOffset StartedAt, DateTimeOffset LastUsedAt, DateTimeOffset EndsAt, bool Current);
