using System.Reflection;
using System.Runtime.CompilerServices;
using Coordination.ServiceDefaults.Messaging;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordination.Architecture.Tests;

/// <summary>
/// Every domain event has a stable stored name (<c>options.Events.MapEventType&lt;T&gt;("name")</c>), so that moving
/// or renaming a class never orphans the events already stored under its old name.
/// </summary>
/// <remarks>
/// Which types are a service's domain events, found by convention in its assembly (see docs/architecture.md):
/// the concrete records of a closed event hierarchy (an abstract record named <c>…Event</c>); every type an
/// <c>Evolve</c> tells apart (what its <c>switch</c> on event types compiles to); every record a <c>Decide</c>
/// constructs that is not part of another event; every record it constructs and passes straight to Marten's append
/// methods; and the events its contracts mapper publishes. What is mapped is
/// read from the service's own Marten options, as its registration built them.
/// </remarks>
public sealed class EventTypeMappingTests(ServiceHosts hosts) : IClassFixture<ServiceHosts>
{
    public static TheoryData<string> ServicesWithAnEventStore() =>
        new("directory", "dashboard", "referrals", "identity", "training", "projects");

    [Theory]
    [MemberData(nameof(ServicesWithAnEventStore))]
    public void Every_domain_event_has_a_stored_name(string service)
    {
        var host = hosts[service];
        var mapped = MappedEventTypes(host.Services);
        var events = DomainEvents(host).ToList();

        Assert.NotEmpty(events); // the conventions still find something: a silent rule proves nothing
        var unmapped = events.Where(e => !mapped.Contains(e)).Select(e => e.FullName).Order().ToList();
        Assert.True(unmapped.Count == 0,
            $"{service}: no options.Events.MapEventType<T>(\"snake_case_name\") for {string.Join(", ", unmapped)}");
    }

    /// <summary>The event types the service's Marten options know before the store is built: those mapped by name.</summary>
    /// <remarks>
    /// Marten 9 exposes the registered mappings through <c>EventGraph.AllEvents()</c>, public on the graph but not
    /// on <see cref="StoreOptions.Events"/>'s interface: read by reflection, and loudly if that ever changes.
    /// </remarks>
    public static HashSet<Type> MappedEventTypes(IServiceProvider services)
    {
        var graph = services.GetRequiredService<StoreOptions>().Events;
        const BindingFlags any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
        var allEvents = graph.GetType().GetMethod("AllEvents", any, Type.EmptyTypes)
            ?? throw new InvalidOperationException($"{graph.GetType()} has no AllEvents(): Marten changed, adapt this test. " +
                string.Join(", ", graph.GetType().GetMethods(any).Where(m => m.Name.Contains("Event")).Select(m => m.Name)));
        return
        [
            .. ((System.Collections.IEnumerable)allEvents.Invoke(graph, null)!).Cast<object>()
                .Select(mapping => (Type)mapping.GetType().GetProperty("DocumentType")!.GetValue(mapping)!),
        ];
    }

    public static IEnumerable<Type> DomainEvents(ServiceHost host)
    {
        var types = host.Assembly.GetTypes();
        var hierarchies = types.Where(t => t.IsAbstract && IsRecord(t) && t.Name.EndsWith("Event", StringComparison.Ordinal)).ToList();
        var inHierarchies = types.Where(t => !t.IsAbstract && hierarchies.Any(h => h.IsAssignableFrom(t)));

        var evolved = types.SelectMany(Il.MethodsOf)
            .Where(m => IsNamedOrInside(m, "Evolve"))
            .SelectMany(Il.TestedTypes)
            .Where(t => t is { IsAbstract: false, IsInterface: false } && IsRecord(t));

        var published = host.Services.GetService<IIntegrationEventMapper>()?.PublishedEventTypes ?? [];

        var known = inHierarchies.Concat(evolved).Concat(published).ToHashSet();
        // A record that a Decide builds is an event unless it is a command (what a Decide takes), part of an event
        // (a value such as Party) or carries events itself (a decision returning events for two streams).
        var decides = types.SelectMany(Il.MethodsOf).Where(m => IsNamedOrInside(m, "Decide")).ToList();
        var commands = decides.Where(m => m.Name == "Decide").Select(m => m.GetParameters().FirstOrDefault()?.ParameterType);
        var parts = known.SelectMany(e => e.GetProperties()).Select(p => ElementType(p.PropertyType)).Concat(commands).ToHashSet();
        var decided = decides
            .SelectMany(Il.ConstructedTypes)
            .Where(t => t.Assembly == host.Assembly && IsRecord(t) && !parts.Contains(t)
                        && !t.GetProperties().Any(p => IsCollectionOfObjects(p.PropertyType)));
        // And what is appended directly, outside any Decide (an audit record): constructed and passed straight to Marten.
        var appended = types.SelectMany(Il.MethodsOf)
            .SelectMany(m => Il.TypesPassedTo(m, IsAppend))
            .Where(t => t.Assembly == host.Assembly && IsRecord(t));
        return known.Concat(decided).Concat(appended).Distinct();
    }

    private static readonly string[] AppendMethods =
        ["Append", "AppendOne", "AppendMany", "StartStream", "AppendOptimistic", "AppendExclusive"];

    private static bool IsAppend(MethodBase method) =>
        AppendMethods.Contains(method.Name)
        && method.DeclaringType?.Namespace is { } ns
        && (ns.StartsWith("Marten", StringComparison.Ordinal) || ns.StartsWith("JasperFx", StringComparison.Ordinal));

    /// <summary>
    /// A contracts mapper subscribes to the domain events in its <see cref="IIntegrationEventMapper.PublishedEventTypes"/>
    /// and maps them in a <c>switch</c>: an event in the switch but not in the list would silently never leave the service.
    /// </summary>
    [Theory]
    [MemberData(nameof(ServicesWithAnEventStore))]
    public void The_contracts_mapper_subscribes_to_every_event_it_maps(string service)
    {
        var host = hosts[service];
        var mapper = host.Services.GetService<IIntegrationEventMapper>();
        if (mapper is null)
            return; // publishes nothing
        var events = DomainEvents(host).ToHashSet();
        // The mapper and the parts it delegates to (the Directory's maps organisations and aids apart).
        var switched = host.Assembly.GetTypes().Where(ContractConsumerTests.IsContractsMapper)
            .SelectMany(Il.MethodsOf).SelectMany(Il.TestedTypes).Where(events.Contains).ToHashSet();

        Assert.NotEmpty(switched);
        var forgotten = switched.Except(mapper.PublishedEventTypes).Select(t => t.Name).Order().ToList();
        Assert.True(forgotten.Count == 0,
            $"{mapper.GetType().Name} maps {string.Join(", ", forgotten)} but does not list it in PublishedEventTypes: " +
            "it is never published.");
    }

    private static bool IsCollectionOfObjects(Type type) =>
        type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) && ElementType(type) == typeof(object);

    private static bool IsNamedOrInside(MethodBase method, string name) =>
        method.Name == name || method.Name.StartsWith($"<{name}>", StringComparison.Ordinal);

    private static bool IsRecord(Type type) =>
        type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null;

    private static Type ElementType(Type type) =>
        type.IsArray ? type.GetElementType()!
        : type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : Nullable.GetUnderlyingType(type) ?? type;
}
