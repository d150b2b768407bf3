using Microsoft.Extensions.Caching.Memory;

namespace Coordination.Portal.Api;

/// <summary>Organisation names for lists (public directory data, cached a few minutes; never a person's data).</summary>
public sealed class OrganisationNames(PortalApi api, IMemoryCache cache)
{
    public async Task<string> Of(Guid id)
    {
        if (cache.TryGetValue(("organisation", id), out string? name) && name is not null)
            return name;
        var result = await api.Get<Organisation>($"/api/directory/organisations/{id}");
        if (!result.Ok || result.Value is null)
            return "Organisation inconnue";
        cache.Set(("organisation", id), result.Value.Name, TimeSpan.FromMinutes(5));
        return result.Value.Name;
    }

    public async Task<Dictionary<Guid, string>> Of(IEnumerable<Guid> ids)
    {
        var names = new Dictionary<Guid, string>();
        foreach (var id in ids.Distinct())
            names[id] = await Of(id);
        return names;
    }
}
