using Coordination.Contracts.Directory;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Dashboard.Organisations;

public sealed partial class ParticipatingOrganisationProjection : SingleStreamProjection<ParticipatingOrganisation, Guid>
{
    // Only these events matter: a rebuild then reads them, not every event the Dashboard stored.
    public ParticipatingOrganisationProjection()
    {
        IncludeType<OrganisationRegistered>();
        IncludeType<OrganisationCoverageChanged>();
        IncludeType<OrganisationReferralCapacityChanged>();
        IncludeType<OrganisationDeactivated>();
    }

    public override ParticipatingOrganisation? Evolve(ParticipatingOrganisation? snapshot, Guid id, IEvent e)
    {
        var current = snapshot ?? new ParticipatingOrganisation(id, null, [], false, false, true, 0, 0, DateTimeOffset.MinValue);
        return e.Data switch
        {
            OrganisationRegistered r => Seen(current, r.OccurredAt) with
            {
                Kind = r.Kind,
                Registered = true,
                Departements = r.SourceVersion > current.CoverageVersion ? [.. r.Departements] : current.Departements,
                CoverageVersion = Math.Max(current.CoverageVersion, r.SourceVersion),
                AcceptsReferrals = r.SourceVersion > current.CapacityVersion ? r.AcceptsReferrals : current.AcceptsReferrals,
                CapacityVersion = Math.Max(current.CapacityVersion, r.SourceVersion),
            },
            OrganisationCoverageChanged c when c.SourceVersion > current.CoverageVersion =>
                Seen(current, c.OccurredAt) with { Departements = [.. c.Departements], CoverageVersion = c.SourceVersion },
            OrganisationReferralCapacityChanged c when c.SourceVersion > current.CapacityVersion =>
                Seen(current, c.OccurredAt) with { AcceptsReferrals = c.AcceptsReferrals, CapacityVersion = c.SourceVersion },
            OrganisationDeactivated d => Seen(current, d.OccurredAt) with { Active = false },
            _ => snapshot,
        };
    }

    private static ParticipatingOrganisation Seen(ParticipatingOrganisation o, DateTimeOffset at) =>
        at > o.LastEventAt ? o with { LastEventAt = at } : o;
}
