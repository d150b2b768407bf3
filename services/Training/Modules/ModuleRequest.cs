namespace Coordination.Training.Modules;

/// <summary>A module's content as a coordinator sends it, to publish or to revise.</summary>
public sealed record ModuleRequest(
    string? Title, string? Objectives, Audience? Audience, int? DurationMinutes, TrainingFormat? Format, IReadOnlyList<Guid>? CoDesignedBy)
{
    public TrainingValidation? Invalid()
    {
        var validation = new TrainingValidation();
        validation.Text(Title, "title", 200, required: true);
        validation.Text(Objectives, "objectives", 4000, required: true);
        if (Audience is null) validation.Add("audience", "Précisez le public : iscgWorkers, associationStaff, both ou partners.");
        if (DurationMinutes is not (>= 30 and <= 5 * 8 * 60)) validation.Add("durationMinutes", "La durée va de 30 minutes à 5 jours (2400 minutes).");
        if (Format is null) validation.Add("format", "Précisez le format : inPerson, remote ou hybrid.");
        if (CoDesignedBy is { Count: > 20 }) validation.Add("coDesignedBy", "Trop d'organisations.");
        return validation.IsValid ? null : validation;
    }

    /// <summary>Once <see cref="Invalid"/> said nothing.</summary>
    public ModuleContent Content() =>
        new(Title!.Trim(), Objectives!.Trim(), Audience!.Value, DurationMinutes!.Value, Format!.Value, [.. (CoDesignedBy ?? []).Distinct()]);
}
