using Coordination.Dashboard.Indicators;
using Npgsql;

namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// When a change is stored, the live feed tells every open dashboard at once and they all re-read: the database must
/// see one computation of a view, not one per reader.
/// </summary>
public class ViewCacheTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly Guid Iscg93 = Guid.NewGuid();
    private static readonly Guid Aav93 = Guid.NewGuid();

    [Fact]
    public async Task Twenty_dashboards_re_reading_a_view_at_once_cost_one_query_and_get_the_same_answer()
    {
        var year = DateTimeOffset.UtcNow.Year - 1;
        var coordinator = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        var path = $"/api/dashboard/open-data/referrals-{year}.csv";
        var sentAt = new DateTimeOffset(year, 3, 10, 10, 0, 0, TimeSpan.Zero);
        await factory.Services.GetRequiredService<IBus>().Publish(new ReferralSent(Guid.NewGuid(), Iscg93, Aav93, "93", "standard",
            "intrafamily-violence", ["coordination--aide-aux-victimes"], false, false, sentAt.AddDays(5), sentAt.AddDays(30), null, 3, sentAt));
        // Stored, and the change feed has read it (the cache keys on what the feed has seen).
        await HttpClientExtensions.Eventually(async () => await (await coordinator.GetAsync(path)).Content.ReadAsStringAsync(),
            file => file.Contains($"{year}-03;93;"), what: "the hand-off in the open-data file");
        var cache = factory.Services.GetRequiredService<IndicatorCache>();
        var feed = factory.Services.GetRequiredService<Coordination.Dashboard.Live.DashboardChangeFeed>();
        var seen = await HttpClientExtensions.Eventually(() => Task.FromResult(feed.Latest?.Sequence ?? -1), sequence => sequence >= 0,
            what: "the change feed reading the store");

        // Another hand-off is stored: every cached view is out of date, and twenty open dashboards ask for this one together
        // while the database holds the table it reads (so that all twenty overlap the first computation).
        await factory.Services.GetRequiredService<IBus>().Publish(new ReferralSent(Guid.NewGuid(), Iscg93, Aav93, "93", "standard",
            "intrafamily-violence", ["coordination--aide-aux-victimes"], false, false, sentAt.AddDays(5), sentAt.AddDays(30), null, 3, sentAt.AddDays(1)));
        await HttpClientExtensions.Eventually(() => Task.FromResult(feed.Latest!.Sequence), sequence => sequence > seen, what: "the change feed seeing the new hand-off");
        var before = cache.Computations;

        string[] answers;
        await using (var holder = new NpgsqlConnection(factory.ConnectionString))
        {
            await holder.OpenAsync();
            await using var hold = await holder.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE dashboard.referral_months IN ACCESS EXCLUSIVE MODE", holder, hold))
                await lockTable.ExecuteNonQueryAsync();
            var readers = Enumerable.Range(0, 20).Select(async _ => await (await coordinator.GetAsync(path)).Content.ReadAsStringAsync()).ToList();
            await HttpClientExtensions.Eventually(() => WaitingOnTheLock(holder), waiting => waiting > 0, what: "a computation waiting on the table");
            await Task.Delay(TimeSpan.FromMilliseconds(500)); // every reader has asked by now: a reader computing on its own would wait too
            Assert.Equal(1, await WaitingOnTheLock(holder));
            await hold.RollbackAsync();
            answers = await Task.WhenAll(readers);
        }

        Assert.Equal(1, cache.Computations - before);
        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
        Assert.Contains($"{year}-03;93;", answers[0]);
    }

    private static async Task<long> WaitingOnTheLock(NpgsqlConnection holder)
    {
        // pg_locks, not pg_stat_activity: the latter is a snapshot kept for the whole transaction that holds the lock.
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE relation = 'dashboard.referral_months'::regclass AND NOT granted", holder);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
