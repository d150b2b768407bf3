using System.Reflection;
using Coordination.Contracts;
using Coordination.ServiceDefaults.Messaging;
using MassTransit;
using Xunit;

namespace Coordination.Architecture.Tests;

/// <summary>
/// A contract that a service publishes has a consumer in some service, or is declared
/// <see cref="PublishedForOutsideConsumersAttribute">published for outside consumers</see>.
/// </summary>
/// <remarks>
/// Published: a contract that a service's <see cref="IIntegrationEventMapper"/> constructs. Consumed: the message
/// type of a MassTransit consumer that a service registers (whatever the consumer's shape: one class per
/// contract family, or one generic inbox consumer closed over each contract).
/// </remarks>
public sealed class ContractConsumerTests(ServiceHosts hosts) : IClassFixture<ServiceHosts>
{
    [Fact]
    public void Every_published_contract_has_a_consumer_or_is_declared_for_outside_consumers()
    {
        var published = PublishedContracts().ToList();
        var consumed = ConsumedMessageTypes().ToHashSet();

        Assert.NotEmpty(published);
        Assert.NotEmpty(consumed);
        var orphans = published
            .Where(contract => !consumed.Contains(contract) && !DeclaredForOutsideConsumers(contract))
            .Select(contract => contract.FullName).Order().ToList();
        Assert.True(orphans.Count == 0,
            "Published, consumed by no service and not declared [PublishedForOutsideConsumers]: " + string.Join(", ", orphans));
    }

    [Fact]
    public void Every_consumed_contract_is_published_by_a_service()
    {
        var published = PublishedContracts().ToHashSet();
        var unpublished = ConsumedMessageTypes().Where(t => typeof(IIntegrationEvent).IsAssignableFrom(t) && !published.Contains(t))
            .Select(t => t.FullName).Distinct().Order().ToList();

        Assert.True(unpublished.Count == 0, "Consumed, but no service's contracts mapper publishes: " + string.Join(", ", unpublished));
    }

    private IEnumerable<Type> PublishedContracts() =>
        hosts.All.SelectMany(h => h.Assembly.GetTypes())
            .Where(IsContractsMapper)
            .SelectMany(Il.MethodsOf)
            .SelectMany(Il.ConstructedTypes)
            .Where(t => typeof(IIntegrationEvent).IsAssignableFrom(t))
            .Distinct();

    /// <summary>The message types of the consumers every service registers with MassTransit.</summary>
    private IEnumerable<Type> ConsumedMessageTypes() =>
        hosts.All.SelectMany(h => h.Registrations)
            .SelectMany(d => new[] { d.ServiceType, d.ImplementationType })
            .OfType<Type>()
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false })
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .Distinct();

    /// <summary>A service's mapper, or a part it delegates to (the Directory's maps organisations and aids apart).</summary>
    internal static bool IsContractsMapper(Type type) =>
        (type is { IsAbstract: false } && typeof(IIntegrationEventMapper).IsAssignableFrom(type))
        || (type.IsClass && type.Name.EndsWith("ContractsMapper", StringComparison.Ordinal));

    private static bool DeclaredForOutsideConsumers(Type contract) =>
        contract.GetCustomAttribute<PublishedForOutsideConsumersAttribute>() is not null
        || contract.GetInterfaces().Any(i => i.GetCustomAttribute<PublishedForOutsideConsumersAttribute>() is not null);
}
