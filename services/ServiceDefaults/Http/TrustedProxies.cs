using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coordination.ServiceDefaults.Http;

/// <summary>
/// The caller's real address and scheme behind proxies: <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> are
/// believed only when the peer that sent them is a configured proxy (ASP.NET Core's forwarded-headers middleware).
/// Services and the Portal trust the gateway; the gateway trusts the ingress. A header from anyone else is ignored, so
/// a client cannot choose the address the audit trail and the rate limits see.
/// </summary>
/// <remarks>
/// Settings (section <c>ForwardedHeaders</c>): <c>KnownProxies</c> (addresses) and <c>KnownNetworks</c> (CIDR),
/// e.g. <c>ForwardedHeaders__KnownNetworks__0=10.244.0.0/16</c>. Neither set: loopback only (local runs, where the
/// gateway and the services share 127.0.0.1). Setting either replaces loopback (no index merge with a default list).
/// One hop is believed (<see cref="ForwardedHeadersOptions.ForwardLimit"/> = 1): the right-most address, the one the
/// trusted proxy itself saw; everything a client put to the left of it is ignored.
/// </remarks>
public static class TrustedProxies
{
    public const string Section = "ForwardedHeaders";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        var knownProxies = proxies.Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => IPAddress.TryParse(p.Trim(), out var address) ? address : throw Invalid("KnownProxies", p)).ToList();
        var knownNetworks = networks.Where(n => !string.IsNullOrWhiteSpace(n))
            .Select(n => System.Net.IPNetwork.TryParse(n.Trim(), out var network) ? network : throw Invalid("KnownNetworks", n)).ToList();
        if (knownProxies.Count == 0 && knownNetworks.Count == 0)
        {
            knownNetworks.Add(new System.Net.IPNetwork(IPAddress.Loopback, 8));
            knownProxies.Add(IPAddress.IPv6Loopback);
        }

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.ForwardLimit = 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in knownProxies) options.KnownProxies.Add(proxy);
            foreach (var network in knownNetworks) options.KnownIPNetworks.Add(network);
        });
        return services;
    }

    private static InvalidOperationException Invalid(string setting, string text) =>
        new($"Configuration '{Section}:{setting}' holds '{text}', which is not a valid address (KnownProxies) or CIDR network (KnownNetworks).");
}
