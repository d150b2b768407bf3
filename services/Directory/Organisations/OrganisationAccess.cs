namespace Coordination.Directory.Organisations;

public static class OrganisationAccess
{
    /// <summary>Coordinators and admins may change any organisation; staff only their own.</summary>
    public static void EnsureMayChange(CurrentUser user, Guid organisationId)
    {
        if (!user.IsCoordinatorOrAdmin && !user.WorksFor(organisationId))
            throw new AccessDenied("Seuls le personnel de cette organisation et les coordinateurs nationaux peuvent la modifier.");
    }
}
