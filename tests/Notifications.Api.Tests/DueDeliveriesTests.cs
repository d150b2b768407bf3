using Coordination.Notifications.Delivering;
using Coordination.Notifications.Notifying;
using Coordination.Notifications.Rules;
using Marten;
using Marten.Linq;
using Npgsql;
using Xunit;

namespace Coordination.Notifications.Api.Tests;

/// <summary>
/// The delivery worker asks for the due deliveries every second, and the deliveries already sent are kept for ever: the
/// question must be answered from the pending ones, not by reading every e-mail the platform ever sent.
/// </summary>
[Collection(NotificationsCollection.Name)]
public class DueDeliveriesTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task The_due_deliveries_are_found_among_thousands_sent_without_reading_the_sent_ones()
    {
        await using var host = new NotificationsFactory(fixture.Mail);
        await host.InitializeAsync();
        var organisation = await host.Organisation("France Victimes 93 – Montreuil");
        var person = await host.Account(organisation);
        var now = DateTimeOffset.UtcNow;
        await using (var session = host.Store.LightweightSession())
        {
            for (var i = 0; i < 3000; i++)
                session.Store(Delivery(person, organisation, DeliveryStatus.Sent, now.AddHours(-1).AddSeconds(i)));
            await session.SaveChangesAsync();
        }
        // Due tomorrow, so that the host's own worker leaves them to this test; stored newest first.
        var pending = Enumerable.Range(0, 3).Select(i => Delivery(person, organisation, DeliveryStatus.Pending, now.AddDays(1).AddMinutes(-i))).ToList();
        await using (var session = host.Store.LightweightSession())
        {
            session.Store([.. pending]);
            await session.SaveChangesAsync();
        }
        await using (var analyse = new NpgsqlConnection(host.Database))
        {
            await analyse.OpenAsync();
            await new NpgsqlCommand("ANALYZE notifications.mt_doc_delivery", analyse).ExecuteNonQueryAsync();
        }

        await using var query = host.Store.QuerySession();
        var dueTomorrow = DeliveryWorker.DueBy(query, now.AddDays(1).AddMinutes(1));

        Assert.Equal(pending.OrderBy(d => d.DueAt).Select(d => d.Id), (await dueTomorrow.ToListAsync()).Select(d => d.Id));
        var plan = await ExplainAsync(host.Database, dueTomorrow.ToCommand(FetchType.FetchMany));
        // The pending-only index answers both conditions: no rows read and then filtered out (sent ones).
        Assert.Contains("Index Scan using mt_doc_delivery_idx_due_at", plan);
        Assert.DoesNotContain("Filter", plan);
    }

    private static Delivery Delivery(NotificationsFactory.Person person, Guid organisation, DeliveryStatus status, DateTimeOffset dueAt) =>
        new(Guid.NewGuid(), Guid.NewGuid(), person.UserId, organisation, Notifying.Delivery.Email, DeliveryMode.Immediate, status, dueAt,
            status == DeliveryStatus.Sent ? 1 : 0, null, null, status == DeliveryStatus.Sent ? dueAt : null, dueAt);

    /// <summary>PostgreSQL's plan for the command as Marten sends it (same text, same parameters).</summary>
    private static async Task<string> ExplainAsync(string connectionString, NpgsqlCommand command)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN " + command.CommandText, connection);
        foreach (NpgsqlParameter parameter in command.Parameters)
            explain.Parameters.Add(parameter.Clone());
        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
