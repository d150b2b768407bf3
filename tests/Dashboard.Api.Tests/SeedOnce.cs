namespace Coordination.Dashboard.Api.Tests;

/// <summary>
/// A test class's hand-counted events, published once through the real RabbitMQ by whichever of its tests asks first
/// (they share one Dashboard): the others wait for it instead of counting twice.
/// </summary>
public sealed class SeedOnce
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool done;

    public async Task RunAsync(Func<Task> seed)
    {
        await gate.WaitAsync();
        try
        {
            if (done) return;
            await seed();
            done = true;
        }
        finally
        {
            gate.Release();
        }
    }
}

public static class DashboardPublishing
{
    /// <summary>Publishes as a service's outbox does: each message with an id of its own.</summary>
    public static Task Publish<T>(this DashboardFactory factory, T message) where T : class =>
        factory.Services.GetRequiredService<IBus>().Publish(message, c => c.MessageId = Guid.NewGuid());
}
