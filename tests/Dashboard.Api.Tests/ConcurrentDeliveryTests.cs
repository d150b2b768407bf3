using Coordination.Dashboard.Referrals;
using Coordination.ServiceDefaults.Messaging;
using Marten;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// The Dashboard takes many messages at once. Every event of a hand-off may then be in hand together, in any order, and
/// the facts and totals must still be those of the whole hand-off. The race this guards against: two transactions of one
/// hand-off each built its facts from the same committed state (the inline view reads the document as it was), and the
/// second to commit wrote back its own event's status over the first's, so a later status was lost. One writer per
/// source stream (a transaction-scoped advisory lock taken before anything is read) is the cure; without it the first
/// test below loses statuses.
/// </summary>
public class ConcurrentDeliveryTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly DateTimeOffset Day = DateTimeOffset.UtcNow.AddDays(-2);

    /// <summary>Sent, acknowledged, accepted, first contact, completed: versions 1 to 5 of one hand-off in Referrals.</summary>
    private static IReadOnlyList<IReferralEvent> LifeOf(Guid id, Guid sender, Guid receiver, string departement) =>
        Synthetic.DashboardIngestion.WholeHandOff(id, sender, receiver, departement, Day);

    private async Task<IReadOnlyList<ReferralFacts>> FactsOf(IReadOnlyCollection<Guid> ids)
    {
        await using var session = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadManyAsync<ReferralFacts>(ids);
    }

    private HttpClient Iscg(Guid organisation) => factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, organisation));

    [Fact]
    public async Task The_events_of_hand_offs_already_begun_kept_at_once_leave_every_hand_off_at_its_last_status()
    {
        var (sender, receiver) = (Guid.NewGuid(), Guid.NewGuid());
        var inbox = factory.Services.GetRequiredService<IDocumentStore>();
        var time = factory.Services.GetRequiredService<TimeProvider>();
        var lives = Enumerable.Range(0, 30).Select(_ => LifeOf(Guid.NewGuid(), sender, receiver, "13")).ToList();
        foreach (var life in lives)
            Assert.True(await IntegrationEventInbox.Keep(inbox, time, Guid.NewGuid(), life[0], default));

        // Every later event of every hand-off released at the same moment, each in a transaction of its own.
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<bool> KeepWhenGo(IReferralEvent message)
        {
            await go.Task;
            return await IntegrationEventInbox.Keep(inbox, time, Guid.NewGuid(), message, default);
        }
        var keeping = lives.SelectMany(life => life.Skip(1)).Select(KeepWhenGo).ToList();
        go.SetResult();
        Assert.All(await Task.WhenAll(keeping), Assert.True);

        var facts = await FactsOf([.. lives.Select(life => life[0].ReferralId)]);
        Assert.Equal(30, facts.Count);
        Assert.All(facts, AtItsLastStatus);
    }

    [Fact]
    public async Task Whole_hand_offs_published_at_once_in_any_order_are_counted_once_each_at_their_last_status()
    {
        var (sender, receiver) = (Guid.NewGuid(), Guid.NewGuid());
        var lives = Enumerable.Range(0, 60).Select(_ => LifeOf(Guid.NewGuid(), sender, receiver, "2A")).ToList();
        var shuffled = lives.SelectMany(life => life).OrderBy(_ => Random.Shared.Next()).ToList();

        var bus = factory.Services.GetRequiredService<IBus>();
        await Task.WhenAll(shuffled.Select(message => bus.Publish((object)message, c => c.MessageId = Guid.NewGuid())));

        var ids = lives.Select(life => life[0].ReferralId).ToList();
        var facts = await HttpClientExtensions.Eventually(() => FactsOf(ids),
            all => all.Count == ids.Count && all.All(f => f.Status == "completed" && f.FirstContactAt is not null),
            TimeSpan.FromSeconds(60), "every hand-off at its last status");
        Assert.All(facts, AtItsLastStatus);

        // What the ISCG post sees: 60 hand-offs, all completed, none counted twice or left behind at an earlier status.
        var activity = await (await Iscg(sender).GetAsync("/api/dashboard/referral-activity")).ReadJson<ReferralActivity>();
        var corsica = Assert.Single(activity.Rows);
        Assert.Equal("60", corsica.Total);
        Assert.Equal("60", corsica.Counts["completed"]);
        Assert.All(corsica.Counts.Where(count => count.Key != "completed"), count => Assert.Equal("0", count.Value));
        Assert.Equal(0, await TestInfrastructure.QueueDepthAsync(factory.Amqp, "dashboard-referral-events_error") ?? 0);
    }

    [Fact]
    public async Task A_message_delivered_twice_at_once_is_kept_once()
    {
        var writer = factory.Services.GetRequiredService<InboxWriter>();
        var life = LifeOf(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "2B");
        var (sentId, acceptedId) = (Guid.NewGuid(), Guid.NewGuid());

        // Two deliveries of each, in hand together (the same batch or two batches: either way once).
        var kept = await Task.WhenAll(
            writer.KeepAsync(sentId, (ReferralSent)life[0], null, default),
            writer.KeepAsync(sentId, (ReferralSent)life[0], null, default),
            writer.KeepAsync(acceptedId, (ReferralAccepted)life[2], null, default),
            writer.KeepAsync(acceptedId, (ReferralAccepted)life[2], null, default));
        // And once more later, after its batch committed.
        var later = await writer.KeepAsync(acceptedId, (ReferralAccepted)life[2], null, default);

        Assert.Equal(1, kept[..2].Count(stored => stored));
        Assert.Equal(1, kept[2..].Count(stored => stored));
        Assert.False(later);
        await using var session = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(2, (await session.Events.FetchStreamStateAsync(life[0].ReferralId))!.Version);
        var facts = Assert.Single(await FactsOf([life[0].ReferralId]));
        Assert.Equal("accepted", facts.Status);
    }

    [Fact]
    public async Task A_message_the_database_refuses_fails_alone_and_the_others_in_hand_with_it_are_kept()
    {
        var writer = factory.Services.GetRequiredService<InboxWriter>();
        var (sender, receiver) = (Guid.NewGuid(), Guid.NewGuid());
        var sent = Enumerable.Range(0, 10).Select(_ => (ReferralSent)LifeOf(Guid.NewGuid(), sender, receiver, "2B")[0]).ToList();
        var refused = sent[4];
        // A fault of that one message only (as a bug in a trigger or a constraint would be), outlasting any retry.
        await using var db = Npgsql.NpgsqlDataSource.Create(factory.ConnectionString);
        await using (var fault = db.CreateCommand($"""
            create or replace function dashboard.test_refuse_one() returns trigger language plpgsql as $$
            begin raise exception 'refused by the test'; end $$;
            create trigger test_refuse_one before insert on dashboard.mt_events for each row
                when (new.stream_id = '{refused.ReferralId}') execute function dashboard.test_refuse_one();
            """))
            await fault.ExecuteNonQueryAsync();
        try
        {
            // All in hand at once: one batch, which fails as a whole, then each message on its own.
            var keeping = sent.Select(message => writer.KeepAsync(Guid.NewGuid(), message, null, default)).ToList();
            await Assert.ThrowsAnyAsync<Exception>(() => keeping[4]);
            Assert.All(await Task.WhenAll(keeping.Where((_, i) => i != 4)), Assert.True);
        }
        finally
        {
            await using var heal = db.CreateCommand("drop trigger if exists test_refuse_one on dashboard.mt_events; drop function if exists dashboard.test_refuse_one()");
            await heal.ExecuteNonQueryAsync();
        }

        var facts = await FactsOf([.. sent.Select(message => message.ReferralId)]);
        Assert.Equal(9, facts.Count);
        Assert.DoesNotContain(facts, f => f.Id == refused.ReferralId);
    }

    private static void AtItsLastStatus(ReferralFacts facts)
    {
        Assert.Equal("completed", facts.Status);
        Assert.Equal(5, facts.StatusVersion);
        Assert.Equal(Day.UtcDateTime, facts.SentAt!.Value.UtcDateTime, TimeSpan.FromMilliseconds(1));
        Assert.NotNull(facts.AcknowledgedAt);
        Assert.NotNull(facts.AcceptedAt);
        Assert.NotNull(facts.FirstContactAt);
        Assert.NotNull(facts.CompletedAt);
        Assert.Equal("helped", facts.Outcome);
    }
}
