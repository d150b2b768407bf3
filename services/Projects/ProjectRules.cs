namespace Coordination.Projects;

/// <summary>Who may see and change a project. Messages are French.</summary>
public static class ProjectRules
{
    /// <summary>One answer for "no such project" and "not yours to see", wherever a project is private.</summary>
    public const string NotFound = "Aucun projet avec cet identifiant.";

    /// <summary>Its lead organisation, its partners and the national coordinators follow a project.</summary>
    public static bool Involves(this Project project, CurrentUser user) =>
        user.IsCoordinatorOrAdmin
        || user.WorksFor(project.LeadOrganisationId)
        || project.Partners.Any(partner => user.WorksFor(partner.OrganisationId));

    /// <summary>The lead organisation's staff and the national coordinators change a project; its partners follow it.</summary>
    public static void EnsureMayChange(this Project project, CurrentUser user)
    {
        if (!user.IsCoordinatorOrAdmin && !user.WorksFor(project.LeadOrganisationId))
            throw new AccessDenied("Seuls l'organisation qui porte le projet et les coordinateurs nationaux le modifient.");
    }
}
