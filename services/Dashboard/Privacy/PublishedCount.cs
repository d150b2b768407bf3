namespace Coordination.Dashboard.Privacy;

/// <summary>
/// A published count: the number; "&lt; 11" when it could single out a few people (primary suppression); "secret"
/// when it is hidden only so that a small one cannot be recomputed from a total (secondary suppression).
/// </summary>
public readonly record struct PublishedCount(int? Value, bool Secondary = false)
{
    public bool Suppressed => Value is null;

    public override string ToString() =>
        Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (Secondary ? SmallCellSuppression.Secret : SmallCellSuppression.Hidden);
}
