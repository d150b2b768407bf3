namespace Coordination.Portal.Api;

// What the portal reads from the APIs. Codes stay strings (tolerant to values added later); the French labels are in Labels.

public sealed record ResultPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

public sealed record Organisation(
    Guid Id, string Name, string Kind, string? PartnerNetwork, string[] Departements, string[] Needs, bool AcceptsReferrals,
    string? CapacityNote, bool Active, long Version);

public sealed record ReferralCreated(Guid Id, string PseudonymousReference, string Status, long Version);

public sealed record ReferralListItem(
    Guid Id, string Status, string Urgency, string Departement, string PseudonymousReference, string? FirstName, string[]? Needs,
    Guid SenderOrganisationId, Guid ReceiverOrganisationId, DateTimeOffset? SentAt, DateTimeOffset? AcknowledgeBy, bool Overdue,
    bool ConsentOverridden, int UnreadMessages, DateTimeOffset LastChangedAt, string Viewer, IReadOnlyList<string> AllowedActions,
    DateTimeOffset? AcknowledgedAt);

/// <summary>How many referrals of the list are in a status (with the other filters); ended ones are closed.</summary>
public sealed record StatusTotal(string Status, bool Ended, long Total);

/// <summary>One page of an inbox or a "sent" list; <c>NextCursor</c> reads the following one (null: last page).</summary>
public sealed record ReferralsPage(
    IReadOnlyList<ReferralListItem> Items, int PageSize, long Total, string? NextCursor, IReadOnlyList<StatusTotal> StatusTotals);

/// <summary>One hop of the person's path (redirections, re-sends), as the collector follows it.</summary>
public sealed record ChainHop(
    Guid Id, string Status, Guid SenderOrganisationId, Guid ReceiverOrganisationId, Guid? RedirectedFrom, Guid? ResentFrom,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, bool Overdue, DateTimeOffset? AcknowledgedAt, DateTimeOffset? AcceptedAt,
    DateTimeOffset? FirstContactAt, string? Outcome, string? OutcomeNote, IReadOnlyList<string>? DeclineReasons, string? DeclineMessage,
    string? StatusReason, DateTimeOffset LastChangedAt);

public sealed record ContactChannel(string Kind, string? Value);

public sealed record PersonView(string PseudonymousReference, string? FirstName, ContactChannel? Contact, string AgeBand, bool MinorsInvolved);

public sealed record MessageView(Guid Id, string Text, bool FromMyOrganisation, DateTimeOffset At, bool ReadByOtherParty);

public sealed record SharingScope(bool Identity, bool Situation, bool Needs);

public sealed record DeclineDetails(IReadOnlyList<string> Reasons, string Message, string DeclinedBy, DateTimeOffset At);

/// <summary>A referral as the caller may see it; <c>AllowedActions</c>: the commands the API would accept from the caller now
/// (route names), the only thing that decides which forms the page shows.</summary>
public sealed record ReferralView(
    Guid Id, string Status, string Viewer, Guid SenderOrganisationId, Guid ReceiverOrganisationId, Guid CollectorOrganisationId,
    string Departement, string Urgency, PersonView Person, string? Situation, string[]? Needs, string? Note, string? ConsentMethod,
    SharingScope? ConsentScope, bool ConsentOverridden, string? ConsentOverrideJustification, bool ConsentCoversAnyReceiver,
    Guid? RedirectedFrom, Guid? RedirectedTo, Guid? ResentFrom, Guid? ResentTo, DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt, DateTimeOffset? AcknowledgeBy, DateTimeOffset? ExpiresAt, bool Overdue, DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? AcceptedAt, DateTimeOffset? FirstContactAt, string? Outcome, string? OutcomeNote, DeclineDetails? Decline,
    string? StatusReason, IReadOnlyList<MessageView>? Messages, int UnreadMessages, long Version, IReadOnlyList<string>? AllowedActions,
    IReadOnlyList<ChainHop>? Chain)
{
    public bool Allows(string action) => AllowedActions?.Contains(action) == true;
}

public sealed record HistoryEntry(long Version, string Event, DateTimeOffset At, Guid? ByOrganisationId);

public sealed record RedirectionResult(Guid NewReferralId);

public sealed record ResendResult(Guid NewReferralId);

// Training
public sealed record ModuleContent(string Title, string Objectives, string Audience, int DurationMinutes, string Format, IReadOnlyList<Guid> CoDesignedBy);

public sealed record ModuleDetails(Guid Id, int Version, ModuleContent Content, bool Retired, string? RetiredBecause, long StreamVersion);

public sealed record Trainer(string Name, string Network, string? UserId);

public sealed record SessionView(
    Guid Id, Guid ModuleId, int ModuleVersion, string ModuleTitle, string Audience, int DurationMinutes, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, string? Place, string? Link, string Departement, IReadOnlyList<Trainer> Trainers, int Capacity, int Registered,
    int Waitlisted, DateTimeOffset RegistrationClosesAt, string Status, string? CancelledBecause, string Me, int? MyWaitlistPosition,
    double? MeanSatisfaction, IReadOnlyList<string> AllowedActions, long Version)
{
    /// <summary>What the API says the caller may do now (the commands' own rules): the page offers exactly these.</summary>
    public bool Allows(string action) => AllowedActions.Contains(action);
}

public sealed record Participant(string UserId, string Name, Guid OrganisationId, string Network);

public sealed record SessionRoster(
    Guid Id, string ModuleTitle, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string Departement, int Capacity,
    string Status, IReadOnlyList<Participant> Registered, IReadOnlyList<Participant> Waitlist, IReadOnlyList<string> Present, long Version);

// Projects
public sealed record ProjectPartner(Guid OrganisationId, string Role, bool Signatory);

public sealed record FundingLine(
    Guid LineId, string Funder, string? FunderName, decimal AmountRequested, int FromYear, int ToYear, string Decision,
    decimal? AmountGranted, DateOnly? DecisionDate, string? Justification);

public sealed record Milestone(Guid MilestoneId, string Title, DateOnly DueDate, DateOnly? CompletedOn, bool OverdueRaised);

public sealed record Project(
    Guid Id, string Title, string Type, IReadOnlyList<string> Departements, Guid LeadOrganisationId, string Stage, decimal Budget,
    DateOnly? StartDate, IReadOnlyList<ProjectPartner> Partners, IReadOnlyList<FundingLine> Funding, IReadOnlyList<Milestone> Milestones,
    DateTimeOffset LastEventAt);

public sealed record ProjectView(
    Project Project, decimal Requested, decimal Granted, decimal Budget, decimal GrantedShareOfBudget, IReadOnlyList<string> AllowedActions, long Version)
{
    /// <summary>What the API says the caller may do now (the commands' own rules): the page offers exactly these.</summary>
    public bool Allows(string action) => AllowedActions.Contains(action);
}

public sealed record SupportMessage(string Text, string By, bool FromCoordinator, DateTimeOffset At);

public sealed record SupportRequestDetails(
    Guid Id, Guid ProjectId, Guid LeadOrganisationId, string Kind, string Status, string? AssignedTo,
    IReadOnlyList<SupportMessage> Messages, DateTimeOffset RequestedAt, DateTimeOffset? FirstAnsweredAt, DateTimeOffset? ClosedAt);

public sealed record SupportRequestView(SupportRequestDetails Request, double AgeHours, double? ResponseHours, IReadOnlyList<string> AllowedActions)
{
    public bool Allows(string action) => AllowedActions.Contains(action);
}

// Dashboard
public sealed record OrganisationsByDepartementRow(string Departement, string DepartementName, string Kind, int Organisations, int AcceptingReferrals);

public sealed record OrganisationsByDepartement(DateTimeOffset? AsOf, IReadOnlyList<OrganisationsByDepartementRow> Rows);

public sealed record ReferralActivityRow(string Departement, string DepartementName, IReadOnlyDictionary<string, string> Counts, string Total);

public sealed record ReferralActivity(
    string Scope, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, bool Suppressed, IReadOnlyList<string> Columns,
    IReadOnlyList<ReferralActivityRow> Rows, IReadOnlyDictionary<string, string> ColumnTotals, string Total);

public sealed record ReferralTimingsRow(
    string Urgency, string Sent, double? MedianHoursToAcknowledge, double? P90HoursToAcknowledge, double? ShareAcknowledgedInTime,
    double? MedianHoursToFirstContact, double? P90HoursToFirstContact);

public sealed record ReferralTimings(string Scope, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ReferralTimingsRow> Rows);

// Dashboard indicator views (referrals, training, projects): one uniform shape, values as text ("< 11", "secret", null).
public sealed record IndicatorRow(string Key, string Label, IReadOnlyDictionary<string, string?> Values);

public sealed record IndicatorTable(string Name, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IndicatorRow> Rows);

public sealed record IndicatorView(
    string View, string Scope, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, bool Suppressed, IReadOnlyList<IndicatorTable> Tables)
{
    public IndicatorTable? Table(string name) => Tables.FirstOrDefault(t => t.Name == name);
}
