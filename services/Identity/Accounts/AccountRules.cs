namespace Coordination.Identity.Accounts;

/// <summary>
/// Who may act on whose account. Admins: everyone. An organisation's manager: the staff of their own organisation, never
/// their own role or access (someone else must). National coordinators: only an organisation's first manager, by
/// inviting them. Everyone else: their own password only.
/// </summary>
public static class AccountRules
{
    public const int MinPasswordLength = 12;

    /// <summary>Not found and not yours answer the same: a manager must not learn who works elsewhere.</summary>
    public static void EnsureManagedBy(this Account account, CurrentUser actor)
    {
        if (actor.Role == Roles.Admin)
            return;
        if (actor.IsOrganisationManager && account.OrganisationId is { } organisation && actor.OrganisationId == organisation
            && Roles.OrganisationStaff.Contains(account.Role))
            return;
        throw new ResourceNotFound();
    }

    public static void EnsureNotSelf(this Account account, CurrentUser actor, string action)
    {
        if (account.UserId == actor.UserId)
            throw new BusinessRuleViolation($"Vous ne pouvez pas {action} votre propre compte : demandez-le à un autre responsable ou à un administrateur.");
    }

    /// <summary>The role an actor may give: staff roles for managers, any role for admins.</summary>
    public static void EnsureMayGive(CurrentUser actor, string role)
    {
        if (actor.Role == Roles.Admin)
            return;
        if (!Roles.OrganisationStaff.Contains(role))
            throw new AccessDenied("Seul un administrateur peut donner ce rôle.");
    }

    /// <summary>Staff roles belong to one organisation; coordinators and admins to none.</summary>
    public static void ValidateRoleAndOrganisation(FieldValidation validation, string? role, Guid? organisationId, bool manager)
    {
        if (role is null || !Roles.All.Contains(role))
            validation.Add("role", "Rôle inconnu : iscg_worker, association_staff, partner_staff, national_coordinator ou admin.");
        else if (Roles.OrganisationStaff.Contains(role) && organisationId is null)
            validation.Add("organisationId", "Indiquez l'organisation de ce compte.");
        else if (!Roles.OrganisationStaff.Contains(role) && organisationId is not null)
            validation.Add("organisationId", "Un compte national (coordination, administration) n'appartient à aucune organisation.");
        else if (!Roles.OrganisationStaff.Contains(role) && manager)
            validation.Add("organisationManager", "Seul un membre d'une organisation peut en être responsable.");
    }

    public static void ValidatePassword(FieldValidation validation, string? password, string field = "newPassword")
    {
        if (password is null || password.Length < MinPasswordLength)
            validation.Add(field, $"Le mot de passe doit compter au moins {MinPasswordLength} caractères.");
        else if (password.Length > 256)
            validation.Add(field, "Le mot de passe ne doit pas dépasser 256 caractères.");
    }
}
