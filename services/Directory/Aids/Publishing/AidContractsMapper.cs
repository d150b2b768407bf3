using Coordination.Contracts;
using JasperFx.Events;
using Coordination.ServiceDefaults.Messaging;
using Published = Coordination.Contracts.Directory;

namespace Coordination.Directory.Aids.Publishing;

/// <summary>
/// Which aid facts leave the service: kind, scope, needs, situations and verification dates, so that the Dashboard can count
/// known and stale aids per département and spot needs without a local aid. Names, texts and authors stay here.
/// Proposals, rejections and pending corrections are moderation work, not facts of the guide: they are not published.
/// </summary>
public static class AidContractsMapper
{
    public static readonly IReadOnlyCollection<Type> PublishedEventTypes =
        [typeof(AidPublished), typeof(AidCorrectionAccepted), typeof(AidEdited), typeof(AidVerified), typeof(AidWithdrawn)];

    public static async Task<IIntegrationEvent?> MapAsync(IEvent stored, IDocumentOperations operations, CancellationToken ct) => stored.Data switch
    {
        // The content was given by the proposal, earlier in the stream: read the aid as it stood at this version.
        AidPublished e => await operations.Events.AggregateStreamAsync<Aid>(e.AidId, stored.Version, token: ct) is { } aid
            ? new Published.AidPublished(e.AidId, KindCode(aid.Content.Kind), aid.Content.Scope == AidScope.National,
                [.. aid.Content.Departements], [.. aid.Content.Needs], [.. aid.Content.Situations.Select(SituationCode)],
                aid.LastVerifiedAt, stored.Version, e.PublishedAt)
            : null,
        _ => Map(stored),
    };

    public static IIntegrationEvent? Map(IEvent stored) => stored.Data switch
    {
        AidCorrectionAccepted e => Changed(e.AidId, e.Content, stored.Version, e.AcceptedAt),
        AidEdited e => Changed(e.AidId, e.Content, stored.Version, e.EditedAt),
        AidVerified e => new Published.AidVerified(e.AidId, e.VerifiedAt, stored.Version, e.VerifiedAt),
        AidWithdrawn e => new Published.AidWithdrawn(e.AidId, stored.Version, e.WithdrawnAt),
        _ => null,
    };

    private static Published.AidChanged Changed(Guid id, AidContent content, long version, DateTimeOffset at) =>
        new(id, KindCode(content.Kind), content.Scope == AidScope.National, [.. content.Departements], [.. content.Needs],
            [.. content.Situations.Select(SituationCode)], version, at);

    public static string KindCode(AidKind kind) => kind switch
    {
        AidKind.Grant => Published.AidKinds.Grant,
        AidKind.Loan => Published.AidKinds.Loan,
        AidKind.Allowance => Published.AidKinds.Allowance,
        AidKind.Compensation => Published.AidKinds.Compensation,
        AidKind.ServicePayment => Published.AidKinds.ServicePayment,
        AidKind.InKind => Published.AidKinds.InKind,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Kebab-case, as the referral contracts write a situation (intrafamily-violence).</summary>
    public static string SituationCode(AidSituation situation) => ContractCodes.Of(situation);
}
