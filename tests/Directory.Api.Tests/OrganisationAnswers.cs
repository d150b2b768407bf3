using System.Text.Json.Serialization;

namespace Coordination.Directory.Api.Tests;

// The Directory's answers as a client reads them (the JSON's own spellings, not the service's types). Required where
// a missing field would read as a default an assertion could mistake for the answer.

/// <summary>An organisation read back: who it is, where it works, whether it takes referrals, at which version.</summary>
public sealed record OrganisationRead(
    Guid Id, string Name, string Kind, string[] Departements,
    [property: JsonRequired] bool AcceptsReferrals, string? CapacityNote, [property: JsonRequired] long Version);

/// <summary>A page of the search.</summary>
public sealed record OrganisationsFound(IReadOnlyList<OrganisationRead> Items, [property: JsonRequired] long Total);

/// <summary>An entry of a reference vocabulary (département or need).</summary>
public sealed record ReferenceEntry(string Code, string? Name);

/// <summary>What <c>/health</c> answers: each check by name, with its status.</summary>
public sealed record HealthReport(IReadOnlyDictionary<string, HealthReport.Check> Checks)
{
    public sealed record Check(string Status);
}
