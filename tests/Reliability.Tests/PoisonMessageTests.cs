using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Coordination.ServiceDefaults.Security;
using RabbitMQ.Client;
using Xunit;
using Xunit.Abstractions;

namespace Coordination.Reliability.Tests;

[Collection(FaultCollection.Name)]
public sealed class PoisonMessageTests(FaultPlatform platform, ITestOutputHelper output)
{
    private const string Queue = "dashboard-referral-events";
    private const string ErrorQueue = Queue + "_error";

    [Fact]
    public async Task Failing_and_malformed_messages_go_to_the_error_queue_without_blocking_it_and_are_replayed_once_fixed()
    {
        await platform.HealAsync();
        using var worker = platform.Worker();
        using var admin = platform.Client(platform.Dashboard, platform.Oidc.Token(Roles.Admin, userId: "admin-faults"));
        using var dashboard = platform.Client(platform.Dashboard);

        var baseline = await ErrorCount();
        // Given the Dashboard's database refuses to store referral events (a fault that outlasts every retry)...
        await Sql("""
            CREATE OR REPLACE FUNCTION dashboard.faults_reject_referral_sent() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'fault injected by Reliability.Tests'; END $$;
            CREATE TRIGGER faults_reject_referral_sent BEFORE INSERT ON dashboard.mt_events
                FOR EACH ROW WHEN (NEW.type = 'referrals.ReferralSent') EXECUTE FUNCTION dashboard.faults_reject_referral_sent();
            """);
        Guid failing;
        TimeSpan toErrorQueue;
        HealthState health;
        try
        {
            var clock = Stopwatch.StartNew();
            failing = await Send(worker);
            // ...and a malformed message arrives on the queue (not even JSON).
            await PublishRaw("{\"messageType\": [\"urn:message:Coordination.Contracts.Referrals:ReferralSent\"], \"message\": {oops");

            // Then both land in the error queue after the retries; /health says Degraded with the count.
            await FaultPlatform.Eventually(async () => await ErrorCount() == baseline + 2, TimeSpan.FromSeconds(60), "two messages in " + ErrorQueue);
            toErrorQueue = clock.Elapsed;
            // (The check caches its count for 5 s: the first Degraded answer may still count one message.)
            health = await Health(dashboard, h => h.Status == "Degraded" && h.ErrorMessages == (int)baseline + 2);
            Assert.Equal(("Degraded", (int)baseline + 2), (health.Status, health.ErrorMessages));
        }
        finally
        {
            // When the cause is fixed (never left behind, even when the test fails)...
            await Sql("DROP TRIGGER IF EXISTS faults_reject_referral_sent ON dashboard.mt_events; DROP FUNCTION IF EXISTS dashboard.faults_reject_referral_sent();");
        }

        // ...the queue flows again (it was never blocked by either message)...
        var after = new List<Guid>();
        for (var i = 0; i < 5; i++) after.Add(await Send(worker));
        await FaultPlatform.Eventually(async () => after.All((await platform.DashboardReferrals()).Contains), TimeSpan.FromSeconds(30),
            "hand-offs sent after the poison messages reach the Dashboard");
        Assert.DoesNotContain(failing, await platform.DashboardReferrals());

        // ...and the operator's replay (./coordination requeue-errors dashboard) moves the error queue back.
        var requeue = await admin.PostAsync("/api/dashboard/admin/error-queues/requeue", null);
        Assert.Equal(HttpStatusCode.OK, requeue.StatusCode);
        var requeued = (await requeue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetProperty(Queue).GetInt32();
        Assert.Equal(baseline + 2, (uint)requeued);
        await platform.AssertDashboardCountsEachAcceptedOnce([failing, .. after], TimeSpan.FromSeconds(30));
        // The malformed message cannot be fixed: it is back in the error queue, where an operator deletes it.
        await FaultPlatform.Eventually(async () => await ErrorCount() == 1, TimeSpan.FromSeconds(30), "the malformed message back in " + ErrorQueue);
        await platform.Servers.RabbitMqCtl("purge_queue", ErrorQueue);
        await Health(dashboard, h => h.Status == "Healthy");

        output.WriteLine($"2 poison messages (1 failing in the database, 1 malformed) in {ErrorQueue} {toErrorQueue.TotalSeconds:0.0} s after they were sent; " +
                         $"/health Degraded with errorMessages = {health.ErrorMessages}; 5 later hand-offs counted while they waited; " +
                         $"requeue moved {requeued}, the fixed one counted once, the malformed one back in the error queue");
    }

    private sealed record HealthState(string Status, int ErrorMessages);

    private static async Task<HealthState> Health(HttpClient dashboard, Func<HealthState, bool> until)
    {
        HealthState state = new("?", 0);
        await FaultPlatform.Eventually(async () =>
        {
            var body = JsonDocument.Parse(await dashboard.GetStringAsync("/health")).RootElement;
            var errors = body.GetProperty("checks").GetProperty("error-queues");
            var count = errors.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty(ErrorQueue, out var n)
                ? n.GetInt32() : 0;
            state = new HealthState(body.GetProperty("status").GetString()!, count);
            return until(state);
        }, TimeSpan.FromSeconds(20), () => $"Dashboard /health still {state}");
        return state;
    }

    private async Task<Guid> Send(HttpClient worker)
    {
        var response = await worker.PostAsJsonAsync("/api/referrals", HandoffLoad.Request(FaultPlatform.Association));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        platform.RecordAccepted(id);
        return id;
    }

    private async Task Sql(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.Servers.Postgres("dashboard") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task PublishRaw(string body)
    {
        await using var connection = await new ConnectionFactory { Uri = platform.Servers.Amqp }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString(), Persistent = true };
        await channel.BasicPublishAsync("", Queue, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
    }

    private async Task<uint> ErrorCount()
    {
        await using var connection = await new ConnectionFactory { Uri = platform.Servers.Amqp }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(ErrorQueue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }
}
