namespace Coordination.Authorization.Tests;

// What the matrix's setup reads back from the services to name the resources its rows act on (the JSON's own
// spellings, not the services' types).

/// <summary>A project's details: the project with its funding lines and milestones.</summary>
public sealed record ProjectAnswer(ProjectAnswer.Details Project)
{
    public sealed record Details(Guid Id, IReadOnlyList<FundingLine> Funding, IReadOnlyList<Milestone> Milestones);
    public sealed record FundingLine(Guid LineId);
    public sealed record Milestone(Guid MilestoneId);
}

/// <summary>A referral's messages, oldest first.</summary>
public sealed record ReferralMessages(IReadOnlyList<ReferralMessages.Message> Messages)
{
    public sealed record Message(Guid Id);
}

/// <summary>An account just invited.</summary>
public sealed record InvitedAccount(Guid Id, string UserId);

/// <summary>A correction proposed to an aid.</summary>
public sealed record CorrectionProposed(Guid CorrectionId);

/// <summary>A département's aid referents, at their version.</summary>
public sealed record AidReferents(string Departement, long Version);
