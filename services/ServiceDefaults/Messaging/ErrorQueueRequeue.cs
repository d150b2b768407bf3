using Coordination.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// Operators' tool, once the cause of a failure is fixed: move the messages waiting in this service's
/// <c>&lt;queue&gt;_error</c> queues back to <c>&lt;queue&gt;</c>, unchanged (same message id, so the inbox still
/// drops any that had in fact been processed). Each message is re-sent with a publisher confirm before it is
/// removed from the error queue: a crash in between duplicates it (dropped by the inbox), never loses it.
/// Only the messages present when the call starts are moved, so one that fails again returns to the error queue
/// and waits for the next call.
/// </summary>
public sealed partial class ErrorQueueRequeue(Uri amqp, ReceiveEndpointNames endpoints, ILogger<ErrorQueueRequeue> logger)
{
    public async Task<IReadOnlyDictionary<string, uint>> RequeueAllAsync(CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = amqp, ClientProvidedName = "error-queue-requeue", RequestedConnectionTimeout = TimeSpan.FromSeconds(5) };
        await using var connection = await factory.CreateConnectionAsync(ct);
        var moved = new Dictionary<string, uint>();
        foreach (var queue in endpoints.Snapshot())
        {
            var errorQueue = queue + "_error";
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            uint waiting;
            try
            {
                waiting = (await channel.QueueDeclarePassiveAsync(errorQueue, ct)).MessageCount;
            }
            catch (OperationInterruptedException)
            {
                continue; // No error queue: nothing ever failed there.
            }
            uint count = 0;
            await using var work = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            while (count < waiting && await work.BasicGetAsync(errorQueue, autoAck: false, ct) is { } message)
            {
                // Default exchange, routing key = queue: back to this consumer only, not to every subscriber of the type.
                await work.BasicPublishAsync("", queue, mandatory: true, new BasicProperties(message.BasicProperties), message.Body, ct);
                await work.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
                count++;
            }
            if (count > 0)
            {
                moved[queue] = count;
                LogRequeued(logger, count, errorQueue, queue);
            }
        }
        return moved;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moved {Count} messages from {ErrorQueue} back to {Queue}")]
    private static partial void LogRequeued(ILogger logger, uint count, string errorQueue, string queue);
}

public static class ErrorQueueRequeueApi
{
    /// <summary><c>POST {apiPrefix}/admin/error-queues/requeue</c> (admins and jobs): see <see cref="ErrorQueueRequeue"/>.</summary>
    public static IEndpointRouteBuilder MapErrorQueueRequeue(this IEndpointRouteBuilder app, string apiPrefix)
    {
        app.MapPost($"{apiPrefix}/admin/error-queues/requeue", async (ErrorQueueRequeue requeue, CancellationToken ct) =>
                TypedResults.Ok(new { requeued = await requeue.RequeueAllAsync(ct) }))
            .RequireAuthorization(Policies.Jobs)
            .WithName("RequeueErrorQueues")
            .WithTags("Operations")
            .WithSummary("Move the messages of this service's error queues back to their queues, once the cause is fixed (admins and jobs).");
        return app;
    }
}
