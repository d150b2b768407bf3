using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Messaging;
using Coordination.Testing;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Xunit;

namespace Coordination.Reliability.Tests;

/// <summary>
/// The inbox's records of processed messages are purged once they are older than the redelivery window, and only
/// then: inside the window a redelivered message is still recognised. On the platform's own inbox and a real PostgreSQL.
/// </summary>
public sealed class ProcessedMessagePurgeTests
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Records_older_than_the_window_are_purged_and_a_message_redelivered_inside_it_is_still_ignored()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("inboxpurge");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:EventStore"] = database });
        builder.AddEventStore("inbox_purge_test", _ => { });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var store = host.Services.GetRequiredService<IDocumentStore>();
            var now = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
            var clock = new Clock(now);
            var retention = new ProcessedMessageRetention { KeepFor = TimeSpan.FromDays(30) };
            var purge = new ProcessedMessagePurge(store, clock, Options.Create(retention), NullLogger<ProcessedMessagePurge>.Instance);
            var effects = 0;
            Task<bool> Process(Guid messageId) => store.ProcessOnce(messageId, "test-message", clock, _ => { effects++; return Task.CompletedTask; }, default);

            // Given one message processed 31 days ago and one 29 days ago...
            var old = Guid.NewGuid();
            var recent = Guid.NewGuid();
            clock.Now = now - TimeSpan.FromDays(31);
            Assert.True(await Process(old));
            clock.Now = now - TimeSpan.FromDays(29);
            Assert.True(await Process(recent));

            // ...while another instance holds the purge's lock, this one leaves everything as it is...
            clock.Now = now;
            await using (var otherInstance = new NpgsqlConnection(database))
            {
                await otherInstance.OpenAsync();
                await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({ProcessedMessagePurge.AdvisoryLockId})", otherInstance))
                    await take.ExecuteNonQueryAsync();
                Assert.Null(await purge.RunOnceAsync(default));
                Assert.NotNull(await Load(store, old));
                // (Closing would only return the connection to the pool, lock held.)
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({ProcessedMessagePurge.AdvisoryLockId})", otherInstance);
                await release.ExecuteNonQueryAsync();
            }

            // ...then, its turn come, the record older than the window goes and the recent one stays...
            Assert.Equal(now - TimeSpan.FromDays(30), await purge.RunOnceAsync(default));
            Assert.Null(await Load(store, old));
            Assert.NotNull(await Load(store, recent));

            // ...so the recent message, delivered again, still changes nothing.
            Assert.False(await Process(recent));
            Assert.Equal(2, effects);
        }
        finally
        {
            await host.StopAsync();
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    private static async Task<ProcessedMessage?> Load(IDocumentStore store, Guid id)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<ProcessedMessage>(id);
    }
}
