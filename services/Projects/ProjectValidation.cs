namespace Coordination.Projects;

/// <summary>Field errors with French messages, collected before any decision.</summary>
public sealed class ProjectValidation : Coordination.ServiceDefaults.Http.FieldValidation
{
    /// <summary>Euros as decimals: positive, at most 100 million, at most two decimals (cents).</summary>
    public void Money(decimal? amount, string field, bool required)
    {
        if (amount is null) { if (required) Add(field, "Indiquez un montant en euros."); return; }
        if (amount < 0 || amount > 100_000_000m) Add(field, "Le montant va de 0 à 100 000 000 €.");
        else if (decimal.Round(amount.Value, 2) != amount.Value) Add(field, "Le montant a au plus deux décimales (centimes).");
    }
}
