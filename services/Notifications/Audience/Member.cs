using Coordination.Contracts.Identity;
using Coordination.ServiceDefaults.Messaging;
using Coordination.ServiceDefaults.Security;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using MassTransit;

namespace Coordination.Notifications.Audience;

/// <summary>
/// A person who may be told something: from Identity's account contracts, stored here as one stream per account.
/// Messages may arrive out of order: each aspect keeps the source version it came from. The address and display name
/// are the only personal data this service holds: the address leaves only as an e-mail's recipient, the name only to
/// the organisation's manager on the rota page (to choose who is on call).
/// </summary>
public sealed record Member(
    Guid Id, string UserId, string? Role, Guid? OrganisationId, bool OrganisationManager, bool Active,
    string? Email, string? DisplayName, long RoleVersion, long OrganisationVersion, long ActiveVersion, long AddressVersion)
{
    public bool IsStaffOf(Guid organisationId) =>
        Active && OrganisationId == organisationId && Role is not null && Roles.OrganisationStaff.Contains(Role);

    public bool IsManagerOf(Guid organisationId) => IsStaffOf(organisationId) && OrganisationManager;
}

public sealed partial class MemberProjection : SingleStreamProjection<Member, Guid>
{
    public override Member? Evolve(Member? snapshot, Guid id, IEvent e)
    {
        if (e.Data is not IAccountEvent account)
            return snapshot;
        var current = snapshot ?? new Member(id, account.UserId, null, null, false, false, null, null, 0, 0, 0, 0);
        return e.Data switch
        {
            AccountActivated a => current with
            {
                Role = a.SourceVersion > current.RoleVersion ? a.Role : current.Role,
                OrganisationManager = a.SourceVersion > current.RoleVersion ? a.OrganisationManager : current.OrganisationManager,
                RoleVersion = Math.Max(current.RoleVersion, a.SourceVersion),
                OrganisationId = a.SourceVersion > current.OrganisationVersion ? a.OrganisationId : current.OrganisationId,
                OrganisationVersion = Math.Max(current.OrganisationVersion, a.SourceVersion),
                Active = a.SourceVersion > current.ActiveVersion || current.Active,
                ActiveVersion = Math.Max(current.ActiveVersion, a.SourceVersion),
            },
            AccountRoleChanged r when r.SourceVersion > current.RoleVersion =>
                current with { Role = r.Role, OrganisationManager = r.OrganisationManager, RoleVersion = r.SourceVersion },
            AccountOrganisationChanged o when o.SourceVersion > current.OrganisationVersion =>
                current with { OrganisationId = o.OrganisationId, OrganisationVersion = o.SourceVersion },
            AccountDisabled d when d.SourceVersion > current.ActiveVersion => current with { Active = false, ActiveVersion = d.SourceVersion },
            AccountReenabled r when r.SourceVersion > current.ActiveVersion => current with { Active = true, ActiveVersion = r.SourceVersion },
            AccountDeliveryAddressChanged a when a.SourceVersion > current.AddressVersion =>
                current with { Email = a.Email, DisplayName = a.DisplayName, AddressVersion = a.SourceVersion },
            _ => current,
        };
    }
}

/// <summary>Identity's account contracts, kept as this service's own streams (one per account).</summary>
public sealed class AccountEventsConsumer(IDocumentStore store, TimeProvider time) :
    IConsumer<AccountActivated>, IConsumer<AccountRoleChanged>, IConsumer<AccountOrganisationChanged>,
    IConsumer<AccountDisabled>, IConsumer<AccountReenabled>, IConsumer<AccountDeliveryAddressChanged>
{
    public Task Consume(ConsumeContext<AccountActivated> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<AccountRoleChanged> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<AccountOrganisationChanged> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<AccountDisabled> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<AccountReenabled> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<AccountDeliveryAddressChanged> context) => IntegrationEventInbox.Store(store, time, context);
}
