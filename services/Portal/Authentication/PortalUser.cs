using System.Security.Claims;
using Coordination.ServiceDefaults.Security;

namespace Coordination.Portal.Authentication;

/// <summary>Who is signed in, as the pages need it (from the claims copied out of the access token).</summary>
public sealed record PortalUser(string? UserId, string? Name, string Role, Guid? OrganisationId, bool IsOrganisationManager = false)
{
    public static PortalUser From(ClaimsPrincipal user) => new(
        user.FindFirst(CoordinationClaims.UserId)?.Value, user.FindFirst(CoordinationClaims.Name)?.Value,
        user.FindFirst(CoordinationClaims.Role)?.Value ?? "",
        Guid.TryParse(user.FindFirst(CoordinationClaims.OrganisationId)?.Value, out var org) ? org : null,
        user.FindFirst(CoordinationClaims.OrganisationManager)?.Value == "true");

    public bool IsOrganisationStaff => Role is Roles.IscgWorker or Roles.AssociationStaff or Roles.PartnerStaff;
    public bool IsCoordinator => Role is Roles.NationalCoordinator or Roles.Admin;
    public bool IsIscgWorker => Role == Roles.IscgWorker;
    public bool IsAdmin => Role == Roles.Admin;
}
