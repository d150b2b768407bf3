namespace Coordination.EndToEnd.Tests;

// Answers the journeys read back through the gateway (the JSON's own spellings, not the services' types).

/// <summary>What creating a project answers: the project, with its id.</summary>
public sealed record ProjectCreated(ProjectCreated.Details Project)
{
    public sealed record Details(Guid Id);
}

/// <summary>A referral's status as its parties read it.</summary>
public sealed record ReferralStatus(string Status);
