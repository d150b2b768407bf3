namespace Coordination.ServiceDefaults.Security;

/// <summary>The roles a token may carry in its <c>role</c> claim.</summary>
public static class Roles
{
    public const string IscgWorker = "iscg_worker";
    public const string AssociationStaff = "association_staff";
    public const string PartnerStaff = "partner_staff";
    public const string NationalCoordinator = "national_coordinator";
    public const string Admin = "admin";

    /// <summary>A job acting for itself (client-credentials token of a configured client, e.g. coordination-jobs): no
    /// organisation, no person's data; allowed only on the operators' job endpoints (<see cref="Policies.Jobs"/>).</summary>
    public const string Service = "service";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>([IscgWorker, AssociationStaff, PartnerStaff, NationalCoordinator, Admin]);

    /// <summary>Roles of people who work for one organisation and act on its behalf.</summary>
    public static readonly IReadOnlySet<string> OrganisationStaff =
        new HashSet<string>([IscgWorker, AssociationStaff, PartnerStaff]);
}

/// <summary>Claim names carried by Coordination tokens (JWT registered names where one exists).</summary>
public static class CoordinationClaims
{
    public const string UserId = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string OrganisationId = "org";

    /// <summary>"true" for the person who manages their organisation's cases (may read their audit trail).</summary>
    public const string OrganisationManager = "org_manager";

    /// <summary>"true" for a person specifically authorised to read archived cases of their organisation (with a reason, audited).</summary>
    public const string ArchiveAccess = "archive_access";
}

/// <summary>Named authorization policies shared by every service.</summary>
public static class Policies
{
    /// <summary>National coordinators and administrators: national views and reference data.</summary>
    public const string Coordinators = "coordinators";

    /// <summary>Administrators only: support and audit.</summary>
    public const string Admins = "admins";

    /// <summary>The operators' jobs (replay, requeue, rebuild, key rotation): administrators and the <c>service</c> caller.</summary>
    public const string Jobs = "jobs";
}
