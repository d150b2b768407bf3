using Coordination.Contracts.Directory;
using Coordination.Contracts.Projects;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using MassTransit;

namespace Coordination.Notifications.Audience;

/// <summary>An organisation's public name, from the Directory's contracts: what e-mails show instead of ids.</summary>
public sealed record KnownOrganisation(Guid Id, string? Name, bool Active, long NameVersion);

public sealed partial class KnownOrganisationProjection : SingleStreamProjection<KnownOrganisation, Guid>
{
    public override KnownOrganisation? Evolve(KnownOrganisation? snapshot, Guid id, IEvent e)
    {
        var current = snapshot ?? new KnownOrganisation(id, null, true, 0);
        return e.Data switch
        {
            OrganisationRegistered r when r.SourceVersion > current.NameVersion && r.Name is not null =>
                current with { Name = r.Name, NameVersion = r.SourceVersion },
            OrganisationRenamed r when r.SourceVersion > current.NameVersion => current with { Name = r.Name, NameVersion = r.SourceVersion },
            OrganisationDeactivated => current with { Active = false },
            _ => snapshot ?? (e.Data is OrganisationRegistered ? current : null),
        };
    }
}

/// <summary>Which organisation leads a project (the one told of its milestones and support answers).</summary>
public sealed record ProjectLead(Guid Id, Guid LeadOrganisationId, long Version);

public sealed partial class ProjectLeadProjection : SingleStreamProjection<ProjectLead, Guid>
{
    public override ProjectLead? Evolve(ProjectLead? snapshot, Guid id, IEvent e) => e.Data switch
    {
        ProjectStageChanged s when s.SourceVersion > (snapshot?.Version ?? 0) => new ProjectLead(id, s.LeadOrganisationId, s.SourceVersion),
        _ => snapshot,
    };
}

public sealed class DirectoryEventsConsumer(IDocumentStore store, TimeProvider time) :
    IConsumer<OrganisationRegistered>, IConsumer<OrganisationRenamed>, IConsumer<OrganisationDeactivated>
{
    public Task Consume(ConsumeContext<OrganisationRegistered> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<OrganisationRenamed> context) => IntegrationEventInbox.Store(store, time, context);
    public Task Consume(ConsumeContext<OrganisationDeactivated> context) => IntegrationEventInbox.Store(store, time, context);
}
