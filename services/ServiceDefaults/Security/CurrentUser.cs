using System.Security.Claims;

namespace Coordination.ServiceDefaults.Security;

/// <summary>Who is acting, from the validated token. The display name is deliberately absent: events store ids.</summary>
public sealed record CurrentUser(string UserId, string Role, Guid? OrganisationId, bool IsOrganisationManager = false, bool HasArchiveAccess = false)
{
    public bool IsCoordinatorOrAdmin => Role is Roles.NationalCoordinator or Roles.Admin;

    public bool WorksFor(Guid organisationId) =>
        OrganisationId == organisationId && Roles.OrganisationStaff.Contains(Role);

    public static CurrentUser From(ClaimsPrincipal principal)
    {
        var userId = principal.FindFirstValue(CoordinationClaims.UserId)
            ?? throw new InvalidOperationException("An authenticated principal always has a 'sub' claim.");
        var role = principal.FindFirstValue(CoordinationClaims.Role) ?? "";
        var organisation = Guid.TryParse(principal.FindFirstValue(CoordinationClaims.OrganisationId), out var id) ? id : (Guid?)null;
        var manager = principal.FindFirstValue(CoordinationClaims.OrganisationManager) == "true";
        var archive = principal.FindFirstValue(CoordinationClaims.ArchiveAccess) == "true";
        return new CurrentUser(userId, role, organisation, manager && organisation is not null, archive && organisation is not null);
    }
}
