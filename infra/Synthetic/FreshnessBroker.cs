using MassTransit;

namespace Coordination.Synthetic;

/// <summary>A MassTransit bus that only publishes, to the broker (and virtual host) the measured Dashboard consumes from.</summary>
public sealed class FreshnessBroker : IAsyncDisposable
{
    private readonly IBusControl bus;

    private FreshnessBroker(IBusControl bus) => this.bus = bus;

    public static async Task<FreshnessBroker> StartAsync(Uri amqp, CancellationToken ct)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(amqp));
        await bus.StartAsync(ct);
        return new FreshnessBroker(bus);
    }

    public Task PublishAsync(object message, CancellationToken ct) => bus.Publish(message, message.GetType(), ct);

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
