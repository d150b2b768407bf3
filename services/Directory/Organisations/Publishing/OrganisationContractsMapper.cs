using Coordination.Contracts;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events;
using Published = Coordination.Contracts.Directory;

namespace Coordination.Directory.Organisations.Publishing;

/// <summary>
/// Which organisation facts leave the service, and in what shape. Contact details stay here:
/// the contracts carry ids, codes and the organisation's public name only. OccurredAt is the domain time (from TimeProvider), not the commit time.
/// </summary>
public sealed class OrganisationContractsMapper : IIntegrationEventMapper
{
    public IReadOnlyCollection<Type> PublishedEventTypes { get; } =
    [
        typeof(OrganisationRegistered), typeof(OrganisationCoverageChanged),
        typeof(OrganisationReferralCapacityChanged), typeof(OrganisationDeactivated), typeof(OrganisationDetailsUpdated),
    ];

    public Task<IReadOnlyList<(IEvent Stored, IIntegrationEvent Contract)>> MapAsync(
        IReadOnlyList<IEvent> page, IDocumentOperations operations, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<(IEvent, IIntegrationEvent)>>(
            [.. page.Select(e => (e, Map(e))).Where(m => m.Item2 is not null).Select(m => (m.e, m.Item2!))]);

    public IIntegrationEvent? Map(IEvent stored) => stored.Data switch
    {
        OrganisationRegistered e => new Published.OrganisationRegistered(
            e.OrganisationId, KindCode(e.Kind), e.PartnerNetwork, SettingCode(e.IscgPost?.Setting),
            [.. e.Departements], [.. e.Needs], e.AcceptsReferrals, stored.Version, e.RegisteredAt, e.Name),
        OrganisationCoverageChanged e => new Published.OrganisationCoverageChanged(
            e.OrganisationId, [.. e.Departements], [.. e.Needs], stored.Version, e.ChangedAt),
        OrganisationReferralCapacityChanged e => new Published.OrganisationReferralCapacityChanged(
            e.OrganisationId, e.AcceptsReferrals, stored.Version, e.ChangedAt),
        OrganisationDeactivated e => new Published.OrganisationDeactivated(e.OrganisationId, stored.Version, e.DeactivatedAt),
        OrganisationDetailsUpdated e => new Published.OrganisationRenamed(e.OrganisationId, e.Name, stored.Version, e.UpdatedAt),
        _ => null,
    };

    public static string KindCode(OrganisationKind kind) => kind switch
    {
        OrganisationKind.VictimSupportAssociation => Published.OrganisationKinds.VictimSupportAssociation,
        OrganisationKind.IscgPost => Published.OrganisationKinds.IscgPost,
        OrganisationKind.Partner => Published.OrganisationKinds.Partner,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string? SettingCode(IscgPostSetting? setting) => setting switch
    {
        IscgPostSetting.Police => "police",
        IscgPostSetting.Gendarmerie => "gendarmerie",
        IscgPostSetting.Mixed => "mixed",
        null => null,
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, null),
    };
}
