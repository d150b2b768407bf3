using System.Security.Cryptography;
using System.Text;

namespace Coordination.Identity.Clients;

/// <summary>An application allowed to ask for tokens (<c>Identity:Clients</c>).</summary>
public sealed class ClientApplication
{
    public required string ClientId { get; init; }
    /// <summary>What a person sees in the list of their sessions (French).</summary>
    public string? DisplayName { get; init; }
    /// <summary>Null for public clients (the portal, scripts); confidential clients (jobs) must present it.</summary>
    public string? ClientSecret { get; init; }
    public string[] GrantTypes { get; init; } = [];
    public string[] RedirectUris { get; init; } = [];
    public string[] PostLogoutRedirectUris { get; init; } = [];
}

public sealed class ClientRegistry(IEnumerable<ClientApplication> clients)
{
    /// <summary>Scripts and curl may omit client_id: they are this public client (password and refresh grants only).</summary>
    public const string DefaultScriptClient = "coordination-cli";

    private readonly Dictionary<string, ClientApplication> byId = clients.ToDictionary(c => c.ClientId, StringComparer.Ordinal);

    public ClientApplication? Find(string? clientId) => byId.GetValueOrDefault(clientId ?? DefaultScriptClient);

    public IReadOnlyCollection<ClientApplication> All => byId.Values;

    public IReadOnlyList<string> AllPostLogoutRedirectUris => [.. byId.Values.SelectMany(c => c.PostLogoutRedirectUris)];

    public static bool SecretMatches(ClientApplication client, string? presented) =>
        client.ClientSecret is null
            ? presented is null
            : presented is not null && CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(client.ClientSecret)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
