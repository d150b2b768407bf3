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

/// <summary>What the caller must get. Allowed covers every answer past authorization (2xx, 400, 409, 412…).</summary>
public enum Access { Allowed, Unauthenticated, Forbidden, Hidden }

public sealed record Caller(string? Role, Relation Relation, bool Manager = false, bool ArchiveAccess = false)
{
    public override string ToString() => Role is null ? "anonymous" : $"{Role}/{Relation}{(Manager ? "/manager" : "")}{(ArchiveAccess ? "/archive" : "")}";

    public bool IsStaff => Role is not null && Roles.OrganisationStaff.Contains(Role);
}

/// <summary>One endpoint's row of the matrix: expected access per caller, and how to call it.</summary>
/// <param name="Key">"METHOD route-pattern", exactly as the service maps it.</param>
/// <param name="Request">Builds the request; <c>probeWithCurrentVersion</c> is true when the call is expected to be
/// refused, so that a refusal can only come from authorization (an allowed call gets a stale version and changes nothing).</param>
public sealed record MatrixRow(string Service, string Key, Func<Caller, Access> Expect, Func<Targets, Caller, bool, HttpRequestMessage> Request);

public static class Rules
{
    public static Access AnySignedIn(Caller c) => c.Role is null ? Access.Unauthenticated : Access.Allowed;

    /// <summary>An organisation's on-call rota: its staff read it; anyone else does not see it exists.</summary>
    public static Access OwnStaffElseHidden(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        _ when c.IsStaff && c.Relation == Relation.Own => Access.Allowed,
        _ => Access.Hidden,
    };

    /// <summary>Setting the rota: the organisation's manager; its other staff are refused; anyone else does not see it.</summary>
    public static Access OwnManagerElseHidden(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        _ when c.IsStaff && c.Relation == Relation.Own => c.Manager ? Access.Allowed : Access.Forbidden,
        _ => Access.Hidden,
    };

    /// <summary>What only an organisation's manager sees (failed e-mails to its people).</summary>
    public static Access ManagersOnly(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        _ when c.IsStaff && c.Manager => Access.Allowed,
        _ => Access.Forbidden,
    };

    public static Access CoordinatorsOnly(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        Roles.NationalCoordinator or Roles.Admin => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>A project is started by its lead organisation's staff (checked against the body) or coordinators.</summary>
    public static Access ProjectCreators(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        _ => Access.Allowed, // an empty body is refused (400) before the lead organisation can be compared
    };

    /// <summary>Readable by anyone signed in; an unknown id is simply absent.</summary>
    public static Access AnySignedInHidden(Caller c) => c.Role is null ? Access.Unauthenticated : Access.Hidden;

    /// <summary>A support request: its organisation and the coordinators; anyone else does not see it exists.</summary>
    public static Access OwnOrCoordinatorsElseHidden(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        Roles.NationalCoordinator or Roles.Admin => Access.Allowed,
        _ when c.Relation == Relation.Own => Access.Allowed,
        _ => Access.Hidden,
    };

    public static Access AdminsOnly(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        Roles.Admin => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>Someone else's attendance certificate: refused to staff; coordinators find none for an unknown attendee.</summary>
    public static Access CertificateReaders(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        Roles.NationalCoordinator or Roles.Admin => Access.Hidden,
        _ => Access.Forbidden,
    };

    /// <summary>A referral's audit trail: admins, and the managers of its two organisations; strangers see nothing.</summary>
    public static Access AuditReaders(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        Roles.Admin => Access.Allowed,
        _ when c.IsStaff && c.Relation is Relation.Own or Relation.Receiver => c.Manager ? Access.Allowed : Access.Forbidden,
        _ => Access.Hidden,
    };

    /// <summary>Erasing a person's data: the sender's manager or an admin; the other staff of both parties are refused, strangers see nothing.</summary>
    public static Access ErasureRequesters(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        Roles.Admin => Access.Allowed,
        _ when c.IsStaff && c.Relation == Relation.Own => c.Manager ? Access.Allowed : Access.Forbidden,
        _ when c.IsStaff && c.Relation == Relation.Receiver => Access.Forbidden,
        _ => Access.Hidden,
    };

    /// <summary>An archived referral: staff of its two organisations with the archive habilitation; admins (support) refused; strangers see nothing.</summary>
    public static Access ArchiveReaders(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        Roles.Admin => Access.Forbidden,
        _ when c.IsStaff && c.Relation is Relation.Own or Relation.Receiver => c.ArchiveAccess ? Access.Allowed : Access.Forbidden,
        _ => Access.Hidden,
    };

    public static Access OwnStaffOrCoordinators(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        Roles.NationalCoordinator or Roles.Admin => Access.Allowed,
        _ when c.Relation == Relation.Own => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>Any organisation's staff may act (send a referral, read its own lists); coordinators and admins may not.</summary>
    public static Access StaffOnly(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        _ when c.IsStaff => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>Reading a referral: its two organisations; admins for support (metadata only); nobody else learns it exists.</summary>
    public static Access ReferralReaders(Caller c) => c.Role switch
    {
        null => Access.Unauthenticated,
        Roles.Admin => Access.Allowed,
        _ when c.IsStaff && c.Relation is Relation.Own or Relation.Receiver => Access.Allowed,
        _ => Access.Hidden,
    };

    /// <summary>A referral command for one party: the other party is refused (403), strangers see nothing (404).</summary>
    public static Func<Caller, Access> ReferralParty(params Relation[] parties) => c => c.Role switch
    {
        null => Access.Unauthenticated,
        _ when !c.IsStaff => Access.Forbidden,
        _ when parties.Contains(c.Relation) => Access.Allowed,
        _ when c.Relation is Relation.Own or Relation.Receiver => Access.Forbidden,
        _ => Access.Hidden,
    };
}
