using Coordination.Portal.Api;

namespace Coordination.Portal.Components.Pages.Referrals.Actions;

/// <summary>Organisations the Directory proposes for a person already referred: in the département, taking referrals now,
/// serving the most of their needs first, without the ones excluded (who declined, who is already on the path).</summary>
public static class Proposals
{
    public static async Task<List<Organisation>> For(PortalApi api, ReferralView referral, IReadOnlyCollection<Guid> excluded)
    {
        var found = await api.Get<ResultPage<Organisation>>(
            $"/api/directory/organisations?departement={Uri.EscapeDataString(referral.Departement)}&acceptingReferrals=true&pageSize=100");
        var needs = referral.Needs ?? [];
        return [.. (found.Value?.Items ?? [])
            .Where(o => !excluded.Contains(o.Id))
            .OrderByDescending(o => needs.Count(o.Needs.Contains))
            .ThenBy(o => o.Name, StringComparer.Create(Formatting.French.Culture, true))];
    }
}
