using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// Messages that failed every retry wait in <c>&lt;queue&gt;_error</c> for an operator. Their presence makes
/// <c>/health</c> Degraded (still serving, but someone must look), with the count per queue.
/// The result is cached briefly: the gateway probes often and each check opens an AMQP connection.
/// </summary>
public sealed class ErrorQueueHealthCheck(Uri amqp, ReceiveEndpointNames endpoints, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim Gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? cached;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (cached is { } hit && time.GetUtcNow() - hit.At < CacheFor)
                return hit.Result;
            var result = await CountErrorMessages(cancellationToken);
            cached = (time.GetUtcNow(), result);
            return result;
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<HealthCheckResult> CountErrorMessages(CancellationToken ct)
    {
        var queues = endpoints.Snapshot();
        if (queues.Count == 0)
            return HealthCheckResult.Healthy("Ce service ne consomme aucune file.");
        try
        {
            var factory = new ConnectionFactory { Uri = amqp, ClientProvidedName = "health-check", RequestedConnectionTimeout = TimeSpan.FromSeconds(3) };
            await using var connection = await factory.CreateConnectionAsync(ct);
            var counts = new Dictionary<string, object>();
            foreach (var queue in queues)
            {
                var errorQueue = queue + "_error";
                await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
                try
                {
                    var declared = await channel.QueueDeclarePassiveAsync(errorQueue, ct);
                    if (declared.MessageCount > 0)
                        counts[errorQueue] = declared.MessageCount;
                }
                catch (OperationInterruptedException)
                {
                    // No error queue yet: nothing has ever failed there.
                }
            }
            return counts.Count == 0
                ? HealthCheckResult.Healthy("Aucun message en erreur.")
                : HealthCheckResult.Degraded("Des messages ont échoué après toutes les tentatives et attendent un opérateur.", data: counts);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Degraded, not Unhealthy: the broker being away does not stop the service from accepting commands.
            return HealthCheckResult.Degraded("RabbitMQ injoignable.", exception);
        }
    }
}
