namespace Coordination.Training.Sessions;

/// <summary>The rules several session decisions share: who may act, and how dates read in French.</summary>
public static class SessionRules
{
    public const string NotFound = "Aucune session avec cet identifiant.";

    public static void EnsureCoordinator(CurrentUser user)
    {
        if (!user.IsCoordinatorOrAdmin)
            throw new AccessDenied("Réservé aux coordinateurs nationaux.");
    }

    public static void EnsureTrainerOrCoordinator(TrainingSession s, CurrentUser user)
    {
        if (!user.IsCoordinatorOrAdmin && s.Trainers.All(t => t.UserId != user.UserId))
            throw new AccessDenied("Seuls les formateurs de la session et les coordinateurs nationaux peuvent faire cela.");
    }

    private static readonly TimeZoneInfo ParisZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static string Paris(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, ParisZone).ToString("dd/MM/yyyy 'à' HH:mm", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));

    public static Network? NetworkOf(string role) => role switch
    {
        Roles.IscgWorker => Network.Aniscg,
        Roles.AssociationStaff => Network.FranceVictimes,
        Roles.PartnerStaff => Network.Partners,
        _ => null,
    };
}
