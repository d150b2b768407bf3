// The namespace is part of each message's identity on the bus: never move these types.
namespace Coordination.Contracts.Identity;

/// <summary>
/// Who belongs where, for the services that route work to people (Notifications): the account's stream id,
/// its subject (<c>sub</c> claim, what the other services see as the acting user), role and organisation.
/// Never a name or an address: those travel only in <see cref="AccountDeliveryAddressChanged"/>.
/// </summary>
public interface IAccountEvent : IIntegrationEvent
{
    Guid AccountId { get; }
    /// <summary>The <c>sub</c> claim of the account's tokens.</summary>
    string UserId { get; }
}

/// <summary>The account can sign in (an invitation accepted, or a seeded account).</summary>
/// <param name="Role">iscg_worker, association_staff, partner_staff, national_coordinator or admin.</param>
public sealed record AccountActivated(
    Guid AccountId, string UserId, string Role, Guid? OrganisationId, bool OrganisationManager,
    long SourceVersion, DateTimeOffset OccurredAt) : IAccountEvent
{
    public Guid SourceStreamId => AccountId;
}

public sealed record AccountRoleChanged(
    Guid AccountId, string UserId, string Role, bool OrganisationManager,
    long SourceVersion, DateTimeOffset OccurredAt) : IAccountEvent
{
    public Guid SourceStreamId => AccountId;
}

public sealed record AccountOrganisationChanged(
    Guid AccountId, string UserId, Guid? OrganisationId,
    long SourceVersion, DateTimeOffset OccurredAt) : IAccountEvent
{
    public Guid SourceStreamId => AccountId;
}

public sealed record AccountDisabled(
    Guid AccountId, string UserId, long SourceVersion, DateTimeOffset OccurredAt) : IAccountEvent
{
    public Guid SourceStreamId => AccountId;
}

public sealed record AccountReenabled(
    Guid AccountId, string UserId, long SourceVersion, DateTimeOffset OccurredAt) : IAccountEvent
{
    public Guid SourceStreamId => AccountId;
}

/// <summary>
/// The one contract that carries personal data, and only what an e-mail needs: the addressee's display
/// name and address. Bound by Notifications alone (docs/privacy.md says why it travels on the bus rather than
/// being queried): no other service may consume it.
/// </summary>
public sealed record AccountDeliveryAddressChanged(
    Guid AccountId, string UserId, string DisplayName, string Email,
    long SourceVersion, DateTimeOffset OccurredAt) : IAccountEvent
{
    public Guid SourceStreamId => AccountId;
}
