namespace Coordination.Portal.BrowserTests;

// What the journeys' setup reads back from the APIs (the JSON's own spellings, not the services' types).

/// <summary>A referral's person, as its sender reads it: the pseudonymous reference the pages show.</summary>
public sealed record ReferralPerson(ReferralPerson.Details Person)
{
    public sealed record Details(string PseudonymousReference);
}

/// <summary>An account as the admins list it, at its version.</summary>
public sealed record ListedAccount(Guid Id, string UserId, long Version);

/// <summary>The Dashboard's aids per département: each row's count of local aids.</summary>
public sealed record AidsByDepartement(IReadOnlyList<AidsByDepartement.Row> Rows)
{
    public sealed record Row(int LocalAids);
}
