using Coordination.Contracts.Directory;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using MassTransit;

namespace Coordination.DirectoryView;

/// <summary>
/// What a service (Referrals, Training, Projects) knows of an organisation, from the Directory's integration events (stored as streams here
/// too): its kind, where it works, whether it is active and takes referrals now. Messages may arrive out of
/// order: each aspect keeps the source version it came from.
/// </summary>
public sealed record KnownOrganisation(
    Guid Id, string? Kind, string[] Departements, bool AcceptsReferrals, bool Registered, bool Active,
    long CoverageVersion, long CapacityVersion)
{
    public bool CanReceiveReferrals => Registered && Active && AcceptsReferrals;
}

public sealed partial class KnownOrganisationProjection : SingleStreamProjection<KnownOrganisation, Guid>
{
    public override KnownOrganisation? Evolve(KnownOrganisation? snapshot, Guid id, IEvent e)
    {
        var current = snapshot ?? new KnownOrganisation(id, null, [], false, false, true, 0, 0);
        return e.Data switch
        {
            OrganisationRegistered r => current with
            {
                Kind = r.Kind,
                Registered = true,
                Departements = r.SourceVersion > current.CoverageVersion ? [.. r.Departements] : current.Departements,
                CoverageVersion = Math.Max(current.CoverageVersion, r.SourceVersion),
                AcceptsReferrals = r.SourceVersion > current.CapacityVersion ? r.AcceptsReferrals : current.AcceptsReferrals,
                CapacityVersion = Math.Max(current.CapacityVersion, r.SourceVersion),
            },
            OrganisationCoverageChanged c when c.SourceVersion > current.CoverageVersion =>
                current with { Departements = [.. c.Departements], CoverageVersion = c.SourceVersion },
            OrganisationReferralCapacityChanged c when c.SourceVersion > current.CapacityVersion =>
                current with { AcceptsReferrals = c.AcceptsReferrals, CapacityVersion = c.SourceVersion },
            OrganisationDeactivated => current with { Active = false },
            _ => snapshot,
        };
    }
}

public sealed class DirectoryEventsConsumer(IDocumentStore store, TimeProvider time) :
    IConsumer<OrganisationRegistered>,
    IConsumer<OrganisationCoverageChanged>,
    IConsumer<OrganisationReferralCapacityChanged>,
    IConsumer<OrganisationDeactivated>
{
    public Task Consume(ConsumeContext<OrganisationRegistered> context) => IntegrationEventInbox.Store(store, time, context);

    public Task Consume(ConsumeContext<OrganisationCoverageChanged> context) => IntegrationEventInbox.Store(store, time, context);

    public Task Consume(ConsumeContext<OrganisationReferralCapacityChanged> context) => IntegrationEventInbox.Store(store, time, context);

    public Task Consume(ConsumeContext<OrganisationDeactivated> context) => IntegrationEventInbox.Store(store, time, context);
}

public static class DirectoryViewSetup
{
    /// <summary>Store the Directory's contracts as this service's own streams and keep <see cref="KnownOrganisation"/> inline.</summary>
    public static void AddDirectoryView(this Marten.StoreOptions options)
    {
        options.Events.MapEventType<OrganisationRegistered>("directory.organisation_registered");
        options.Events.MapEventType<OrganisationCoverageChanged>("directory.organisation_coverage_changed");
        options.Events.MapEventType<OrganisationReferralCapacityChanged>("directory.organisation_referral_capacity_changed");
        options.Events.MapEventType<OrganisationDeactivated>("directory.organisation_deactivated");
        options.Projections.Add(new KnownOrganisationProjection(), JasperFx.Events.Projections.ProjectionLifecycle.Inline);
    }
}
