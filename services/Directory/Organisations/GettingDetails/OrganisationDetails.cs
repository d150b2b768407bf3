using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Directory.Organisations.GettingDetails;

/// <summary>What a professional sees of an organisation: who it is, where it works, what it serves, whether it takes referrals.</summary>
public sealed record OrganisationDetails(
    Guid Id, string Name, OrganisationKind Kind, IscgPostDetails? IscgPost, string? PartnerNetwork, OrganisationContact Contact,
    string[] Departements, string[] Needs, bool AcceptsReferrals, string? CapacityNote, bool Active,
    DateTimeOffset RegisteredAt, DateTimeOffset UpdatedAt, long Version);

/// <summary>Updated in the same transaction as the events (inline): reads right after a write see it.</summary>
public sealed partial class OrganisationDetailsProjection : SingleStreamProjection<OrganisationDetails, Guid>
{
    public override OrganisationDetails? Evolve(OrganisationDetails? snapshot, Guid id, IEvent e) => (snapshot, e.Data) switch
    {
        (null, OrganisationRegistered r) => new OrganisationDetails(r.OrganisationId, r.Name, r.Kind, r.IscgPost, r.PartnerNetwork,
            r.Contact, [.. r.Departements], [.. r.Needs], r.AcceptsReferrals, null, true, r.RegisteredAt, r.RegisteredAt, e.Version),
        (null, _) => null,
        (_, OrganisationDetailsUpdated u) => snapshot with
        {
            Name = u.Name,
            IscgPost = u.IscgPost,
            PartnerNetwork = u.PartnerNetwork,
            Contact = u.Contact,
            UpdatedAt = u.UpdatedAt,
            Version = e.Version,
        },
        (_, OrganisationCoverageChanged c) => snapshot with
        {
            Departements = [.. c.Departements],
            Needs = [.. c.Needs],
            UpdatedAt = c.ChangedAt,
            Version = e.Version,
        },
        (_, OrganisationReferralCapacityChanged c) => snapshot with
        {
            AcceptsReferrals = c.AcceptsReferrals,
            CapacityNote = c.Note,
            UpdatedAt = c.ChangedAt,
            Version = e.Version,
        },
        (_, OrganisationDeactivated d) => snapshot with { Active = false, AcceptsReferrals = false, UpdatedAt = d.DeactivatedAt, Version = e.Version },
        _ => snapshot,
    };
}

public static class GetOrganisationDetailsEndpoint
{
    public static RouteGroupBuilder MapGetOrganisationDetails(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", Handle)
            .WithName("GetOrganisationDetails")
            .WithSummary("One organisation, with its version as ETag.");
        return group;
    }

    private static async Task<Results<Ok<OrganisationDetails>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var details = await session.LoadAsync<OrganisationDetails>(id, ct);
        if (details is null)
            return Problems.NotFound("Aucune organisation avec cet identifiant.");
        http.Response.SetETag(details.Version);
        return TypedResults.Ok(details);
    }
}
