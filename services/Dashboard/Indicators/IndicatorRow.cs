namespace Coordination.Dashboard.Indicators;

/// <summary>One row of a table: a code, its French label, and a value per column (null when not shown).</summary>
public sealed record IndicatorRow(string Key, string Label, IReadOnlyDictionary<string, string?> Values)
{
    public static IndicatorRow For(string key, params (string Column, string? Value)[] values) =>
        new(key, Labels.For(key), values.ToDictionary(value => value.Column, value => value.Value));
}
