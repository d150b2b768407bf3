using Coordination.Contracts.Identity;
using Coordination.Notifications.Audience;
using Coordination.ServiceDefaults.Messaging;
using Coordination.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// Identity publishes an account's activation and its address together: the two arrive at once for an account this
/// service has never seen, and both must land on the first attempt (no stream collision, no lost aspect).
/// </summary>
[Collection(NotificationsCollection.Name)]
public class AccountEventsRaceTests(NotificationsFixture fixture)
{
    private NotificationsFactory Host => fixture.Host;
    private TimeProvider Time => Host.Services.GetRequiredService<TimeProvider>();

    private static (AccountActivated Activated, AccountDeliveryAddressChanged Address) NewAccount()
    {
        var id = Guid.NewGuid();
        var userId = $"user-{id:N}"[..20];
        return (new AccountActivated(id, userId, "association_staff", Guid.NewGuid(), false, 1, DateTimeOffset.UtcNow),
            new AccountDeliveryAddressChanged(id, userId, "Camille D.", $"{id:N}@exemple.test", 2, DateTimeOffset.UtcNow));
    }

    private async Task<Member?> MemberOf(Guid accountId)
    {
        await using var session = Host.Store.QuerySession();
        return await session.LoadAsync<Member>(accountId);
    }

    [Fact]
    public async Task Two_events_of_a_new_account_kept_at_once_both_succeed_first_time_and_a_second_delivery_changes_nothing()
    {
        // Several accounts, each pair started together: without one writer per stream, some pair collides.
        var accounts = Enumerable.Range(0, 12).Select(_ => NewAccount()).ToList();
        var messageIds = accounts.ToDictionary(a => a.Activated.AccountId, _ => (Activated: Guid.NewGuid(), Address: Guid.NewGuid()));
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<bool> KeepWhenGo<T>(Guid messageId, T message) where T : class, Coordination.Contracts.IIntegrationEvent
        {
            await go.Task;
            return await IntegrationEventInbox.Keep(Host.Store, Time, messageId, message, default);
        }
        var keeping = accounts.SelectMany(a => new[]
        {
            KeepWhenGo(messageIds[a.Activated.AccountId].Activated, a.Activated),
            KeepWhenGo(messageIds[a.Address.AccountId].Address, a.Address),
        }).ToList();
        go.SetResult();
        var kept = await Task.WhenAll(keeping);
        Assert.All(kept, Assert.True);

        foreach (var (activated, address) in accounts)
        {
            var member = await MemberOf(activated.AccountId);
            Assert.NotNull(member);
            Assert.True(member.Active);
            Assert.Equal("association_staff", member.Role);
            Assert.Equal(activated.OrganisationId, member.OrganisationId);
            Assert.Equal(address.Email, member.Email);
            Assert.Equal("Camille D.", member.DisplayName);
        }

        // At least once on the bus: the same message again is recognised and changes nothing.
        var (firstActivated, firstAddress) = accounts[0];
        Assert.False(await IntegrationEventInbox.Keep(Host.Store, Time, messageIds[firstActivated.AccountId].Activated, firstActivated, default));
        Assert.False(await IntegrationEventInbox.Keep(Host.Store, Time, messageIds[firstAddress.AccountId].Address,
            firstAddress with { Email = "autre@exemple.test" }, default));
        await using var session = Host.Store.QuerySession();
        Assert.Equal(2, (await session.Events.FetchStreamStateAsync(firstActivated.AccountId))!.Version);
        Assert.Equal(firstAddress.Email, (await MemberOf(firstActivated.AccountId))!.Email);
    }

    [Fact]
    public async Task Two_events_of_a_new_account_published_together_both_apply_and_nothing_reaches_the_error_queue()
    {
        var accounts = Enumerable.Range(0, 8).Select(_ => NewAccount()).ToList();
        await Task.WhenAll(accounts.SelectMany(a => new[] { Host.Publish(a.Activated), Host.Publish(a.Address) }));

        foreach (var (activated, address) in accounts)
            await HttpClientExtensions.Eventually(() => MemberOf(activated.AccountId),
                m => m is { Active: true, Role: "association_staff" } && m.Email == address.Email, TimeSpan.FromSeconds(60), "both aspects applied");
        Assert.Equal(0, await TestInfrastructure.QueueDepthAsync(Host.Amqp, "notifications-account-events_error") ?? 0);
    }
}
