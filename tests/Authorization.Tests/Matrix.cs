using Coordination.ServiceDefaults.Security;

namespace Coordination.Authorization.Tests;

/// <summary>How a caller stands towards the resource an endpoint acts on.</summary>
public enum Relation
{
    /// <summary>No token at all.</summary>
    Anonymous,
    /// <summary>A role without an organisation (national coordinator, admin).</summary>
    NoOrganisation,
    /// <summary>Staff of the organisation the resource belongs to (Directory) or of the referral's sender.</summary>
    Own,
    /// <summary>Staff of the referral's receiver.</summary>
    Receiver,
    /// <summary>Staff of an unrelated organisation.</summary>
    Other,
}

/// <summary>
/// What the caller must get. <see cref="Allowed"/> means the call did what it asks: a 2xx answer, or the specific domain
/// answer the row names (<see cref="MatrixRow.Answer"/>) — never a 400 or another error that could come before the access check.
/// </summary>
public enum Access { Allowed, Unauthenticated, Forbidden, Hidden }

public sealed record Caller(string? Role, Relation Relation, bool Manager = false, bool ArchiveAccess = false)
{
    public override string ToString() => Role is null ? "anonymous" : $"{Role}/{Relation}{(Manager ? "/manager" : "")}{(ArchiveAccess ? "/archive" : "")}";

    public bool IsStaff => Role is not null && Roles.OrganisationStaff.Contains(Role);

    /// <summary>The same user id in every token of this caller, so a row's setup can act as the caller (register it, then cancel…).</summary>
    public string UserId => Role is null ? "" : "authz-" + ToString().Replace('/', '-');
}

/// <summary>The domain answer an allowed call gets when a 2xx cannot be reached here (e.g. a session that has not started yet).</summary>
public sealed record Answer(System.Net.HttpStatusCode Status, string? Detail = null);

/// <summary>One endpoint's row of the matrix: expected access per caller, and how to call it.</summary>
/// <param name="Key">"METHOD route-pattern", exactly as the service maps it.</param>
/// <param name="Arrange">Makes what the call needs (a fresh referral in the right state, a fresh session…) and builds a request
/// with a valid body and the resource's current version (<c>If-Match: CURRENT</c> is filled in just before sending), so an
/// allowed caller succeeds and a refusal can only come from authorization.</param>
public sealed record MatrixRow(string Service, string Key, Func<Caller, Access> Expect, Func<Targets, Caller, Task<HttpRequestMessage>> Arrange)
{
    /// <summary>A row whose request needs no setup (reads, and commands on resources the call cannot spoil).</summary>
    public MatrixRow(string service, string key, Func<Caller, Access> expect, Func<Targets, Caller, bool, HttpRequestMessage> request)
        : this(service, key, expect, (t, c) => Task.FromResult(request(t, c, true)))
    {
    }

    /// <summary>The domain answer that counts as "allowed" for this row; null: a 2xx.</summary>
    public Answer? Answer { get; init; }
}

public static class Rules
{
    /// <summary>
    /// How every rule for people starts: no token is a 401, and a job's token (role <c>service</c>) is refused everywhere
    /// but on the jobs. <paramref name="rule"/> decides for everyone else.
    /// </summary>
    private static Access ForPeople(Caller c, Func<Caller, Access> rule) => c.Role switch
    {
        null => Access.Unauthenticated,
        Roles.Service => Access.Forbidden,
        _ => rule(c),
    };

    private static bool IsCoordinatorOrAdmin(Caller c) => c.Role is Roles.NationalCoordinator or Roles.Admin;

    /// <summary>Anyone signed in, people only.</summary>
    public static Access AnySignedIn(Caller c) => ForPeople(c, _ => Access.Allowed);

    /// <summary>The operators' jobs (replay, requeue, rebuild, key rotation): admins and the <c>service</c> caller.</summary>
    public static Access Jobs(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        Roles.Admin or Roles.Service => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>An organisation's on-call rota: its staff read it; anyone else does not see it exists.</summary>
    public static Access OwnStaffElseHidden(Caller c) =>
        ForPeople(c, c => c is { IsStaff: true, Relation: Relation.Own } ? Access.Allowed : Access.Hidden);

    /// <summary>Setting the rota: the organisation's manager; its other staff are refused; anyone else does not see it.</summary>
    public static Access OwnManagerElseHidden(Caller c) => ForPeople(c, c => c switch
    {
        { IsStaff: true, Relation: Relation.Own } => c.Manager ? Access.Allowed : Access.Forbidden,
        _ => Access.Hidden,
    });

    /// <summary>What only an organisation's manager sees (failed e-mails to its people).</summary>
    public static Access ManagersOnly(Caller c) =>
        ForPeople(c, c => c is { IsStaff: true, Manager: true } ? Access.Allowed : Access.Forbidden);

    public static Access CoordinatorsOnly(Caller c) => ForPeople(c, c => IsCoordinatorOrAdmin(c) ? Access.Allowed : Access.Forbidden);

    /// <summary>A project is started by its lead organisation's staff (checked against the body) or coordinators.</summary>
    public static Access ProjectCreators(Caller c) => OwnStaffOrCoordinators(c);

    /// <summary>Readable by anyone signed in; an unknown id is simply absent.</summary>
    public static Access AnySignedInHidden(Caller c) => ForPeople(c, _ => Access.Hidden);

    /// <summary>A support request: its organisation and the coordinators; anyone else does not see it exists.</summary>
    public static Access OwnOrCoordinatorsElseHidden(Caller c) =>
        ForPeople(c, c => IsCoordinatorOrAdmin(c) || c.Relation == Relation.Own ? Access.Allowed : Access.Hidden);

    public static Access AdminsOnly(Caller c) => ForPeople(c, c => c.Role == Roles.Admin ? Access.Allowed : Access.Forbidden);

    /// <summary>A referral's audit trail: admins, and the managers of its two organisations; strangers see nothing.</summary>
    public static Access AuditReaders(Caller c) => ForPeople(c, c => c switch
    {
        { Role: Roles.Admin } => Access.Allowed,
        { IsStaff: true, Relation: Relation.Own or Relation.Receiver } => c.Manager ? Access.Allowed : Access.Forbidden,
        _ => Access.Hidden,
    });

    /// <summary>Erasing a person's data: the sender's manager or an admin; the other staff of both parties are refused, strangers see nothing.</summary>
    public static Access ErasureRequesters(Caller c) => ForPeople(c, c => c switch
    {
        { Role: Roles.Admin } => Access.Allowed,
        { IsStaff: true, Relation: Relation.Own } => c.Manager ? Access.Allowed : Access.Forbidden,
        { IsStaff: true, Relation: Relation.Receiver } => Access.Forbidden,
        _ => Access.Hidden,
    });

    /// <summary>An archived referral: staff of its two organisations with the archive habilitation; admins (support) refused; strangers see nothing.</summary>
    public static Access ArchiveReaders(Caller c) => ForPeople(c, c => c switch
    {
        { Role: Roles.Admin } => Access.Forbidden,
        { IsStaff: true, Relation: Relation.Own or Relation.Receiver } => c.ArchiveAccess ? Access.Allowed : Access.Forbidden,
        _ => Access.Hidden,
    });

    /// <summary>A project's timeline: its organisations (here its lead) and the coordinators; to anyone else it does not exist.</summary>
    public static Access ProjectFollowersElseHidden(Caller c) => OwnOrCoordinatorsElseHidden(c);

    /// <summary>A project command: its lead organisation's staff and the coordinators; strangers get the unknown project's 404.</summary>
    public static Access ProjectChangersElseHidden(Caller c) => OwnOrCoordinatorsElseHidden(c);

    public static Access OwnStaffOrCoordinators(Caller c) =>
        ForPeople(c, c => IsCoordinatorOrAdmin(c) || c.Relation == Relation.Own ? Access.Allowed : Access.Forbidden);

    /// <summary>Any organisation's staff may act (send a referral, read its own lists); coordinators and admins may not.</summary>
    public static Access StaffOnly(Caller c) => ForPeople(c, c => c.IsStaff ? Access.Allowed : Access.Forbidden);

    /// <summary>Reading a referral: its two organisations; admins for support (metadata only); nobody else learns it exists.</summary>
    public static Access ReferralReaders(Caller c) => ForPeople(c, c => c switch
    {
        { Role: Roles.Admin } => Access.Allowed,
        { IsStaff: true, Relation: Relation.Own or Relation.Receiver } => Access.Allowed,
        _ => Access.Hidden,
    });

    /// <summary>A referral command for one party: the other party is refused (403), strangers see nothing (404).</summary>
    public static Func<Caller, Access> ReferralParty(params Relation[] parties) => c => ForPeople(c, c => c switch
    {
        { IsStaff: false } => Access.Forbidden,
        _ when parties.Contains(c.Relation) => Access.Allowed,
        { Relation: Relation.Own or Relation.Receiver } => Access.Forbidden,
        _ => Access.Hidden,
    });

    /// <summary>Creating accounts: admins, national coordinators (first managers) and organisation managers; others refused before any field is read.</summary>
    public static Access Inviters(Caller c) =>
        ForPeople(c, c => IsCoordinatorOrAdmin(c) || c.Manager ? Access.Allowed : Access.Forbidden);

    /// <summary>An organisation's accounts: admins, coordinators (its managers) and that organisation's manager.</summary>
    public static Access TeamReaders(Caller c) =>
        ForPeople(c, c => IsCoordinatorOrAdmin(c) || c is { Manager: true, Relation: Relation.Own } ? Access.Allowed : Access.Forbidden);

    /// <summary>Someone's account: admins and the manager of its organisation; nobody else learns it exists.</summary>
    public static Access AccountManagers(Caller c) =>
        ForPeople(c, c => c.Role == Roles.Admin || c is { Manager: true, Relation: Relation.Own } ? Access.Allowed : Access.Hidden);
}
