namespace Coordination.Training.Modules;

public static class ModuleRules
{
    public const string NotFound = "Aucun module avec cet identifiant.";
}
