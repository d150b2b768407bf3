using System.Text;
using Coordination.Contracts;
using Coordination.ServiceDefaults.Messaging;
using Marten;
using MassTransit;

namespace Coordination.Dashboard.Receiving;

/// <summary>
/// The one list of what the Dashboard receives: every integration event of Directory, Referrals, Training and
/// Projects, found by reflection over the contracts assembly, so a new contract is consumed and stored without a
/// line here. The same list registers the consumers (one generic <see cref="IntegrationEventInbox{T}"/> per type,
/// one queue per bounded context) and maps the stored event type names.
/// </summary>
public static class StoredContracts
{
    /// <summary>One bounded context: its queue, the name its events are stored under, its contract types.</summary>
    public sealed record Context(string Queue, Func<string, string> StoredName, IReadOnlyList<Type> Contracts);

    public static readonly IReadOnlyList<Context> Contexts =
    [
        // Stored names never change (events already stored carry them): Directory's were snake_case from the start.
        Of("Directory", "dashboard-directory-events", name => "directory." + SnakeCase(name)),
        Of("Referrals", "dashboard-referral-events", name => "referrals." + name),
        Of("Training", "dashboard-training-events", name => "training." + name),
        Of("Projects", "dashboard-project-events", name => "projects." + name),
    ];

    public static IEnumerable<Type> All => Contexts.SelectMany(context => context.Contracts);

    /// <summary>
    /// One generic inbox consumer per contract, those of a context on its quorum queue (many messages in flight, kept in
    /// batches by <see cref="InboxWriter"/>; duplicates dropped, out-of-order messages settled by source versions).
    /// </summary>
    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        foreach (var context in Contexts)
            foreach (var contract in context.Contracts)
                bus.AddConsumer(typeof(IntegrationEventInbox<>).MakeGenericType(contract))
                    .Endpoint(endpoint => endpoint.Name = context.Queue);
    }

    /// <summary>Received integration events are stored under names that say where they came from.</summary>
    public static void MapEventTypes(StoreOptions options)
    {
        foreach (var context in Contexts)
            foreach (var contract in context.Contracts)
                options.Events.MapEventType(contract, context.StoredName(contract.Name));
    }

    private static Context Of(string boundedContext, string queue, Func<string, string> storedName)
    {
        var contractNamespace = $"{typeof(IIntegrationEvent).Namespace}.{boundedContext}";
        var contracts = typeof(IIntegrationEvent).Assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && type.Namespace == contractNamespace
                && typeof(IIntegrationEvent).IsAssignableFrom(type))
            .OrderBy(type => type.Name, StringComparer.Ordinal)
            .ToList();
        return new Context(queue, storedName, contracts);
    }

    private static string SnakeCase(string name)
    {
        var snake = new StringBuilder();
        foreach (var character in name)
        {
            if (char.IsUpper(character) && snake.Length > 0) snake.Append('_');
            snake.Append(char.ToLowerInvariant(character));
        }
        return snake.ToString();
    }
}
