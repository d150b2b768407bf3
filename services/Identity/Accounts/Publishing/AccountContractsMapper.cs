using Coordination.Contracts;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events;
using Published = Coordination.Contracts.Identity;

namespace Coordination.Identity.Accounts.Publishing;

/// <summary>
/// Which account facts leave Identity: who belongs where and whether they may act (ids and codes), and, for Notifications
/// alone, the addressee's name and e-mail (<see cref="Published.AccountDeliveryAddressChanged"/>). Never a password or
/// link hash, and never the secret links: those go only by e-mail, from Identity's own outbox.
/// </summary>
public sealed class AccountContractsMapper : IIntegrationEventMapper
{
    public IReadOnlyCollection<Type> PublishedEventTypes { get; } =
    [
        typeof(AccountRegistered), typeof(AccountInvited), typeof(AccountActivated), typeof(AccountRoleChanged),
        typeof(AccountOrganisationChanged), typeof(AccountDisabled), typeof(AccountReenabled),
    ];

    public async Task<IReadOnlyList<(IEvent Stored, IIntegrationEvent Contract)>> MapAsync(
        IReadOnlyList<IEvent> page, IDocumentOperations operations, CancellationToken ct)
    {
        // The user id never changes: today's view gives it for every event of the page.
        var ids = page.Select(e => e.StreamId).Distinct().ToArray();
        var userIds = (await operations.LoadManyAsync<AccountDetails>(ct, ids)).ToDictionary(a => a.Id, a => a.UserId);
        var mapped = new List<(IEvent, IIntegrationEvent)>();
        foreach (var stored in page)
            if (Map(stored, userIds.GetValueOrDefault(stored.StreamId)) is { } contract)
                mapped.Add((stored, contract));
        return mapped;
    }

    public static IIntegrationEvent? Map(IEvent stored, string? userId) => stored.Data switch
    {
        AccountRegistered e => new Published.AccountActivated(e.AccountId, e.UserId, e.Role, e.OrganisationId, e.OrganisationManager, stored.Version, e.At),
        AccountInvited e => new Published.AccountDeliveryAddressChanged(e.AccountId, e.UserId, e.Name, e.Email, stored.Version, e.At),
        _ when userId is null => null,
        AccountActivated e => new Published.AccountActivated(e.AccountId, userId, e.Role, e.OrganisationId, e.OrganisationManager, stored.Version, e.At),
        AccountRoleChanged e => new Published.AccountRoleChanged(e.AccountId, userId, e.Role, e.OrganisationManager, stored.Version, e.At),
        AccountOrganisationChanged e => new Published.AccountOrganisationChanged(e.AccountId, userId, e.OrganisationId, stored.Version, e.At),
        AccountDisabled e => new Published.AccountDisabled(e.AccountId, userId, stored.Version, e.At),
        AccountReenabled e => new Published.AccountReenabled(e.AccountId, userId, stored.Version, e.At),
        _ => null,
    };
}
