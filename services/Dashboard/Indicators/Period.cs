namespace Coordination.Dashboard.Indicators;

/// <summary>The buckets of a view's series, and the default length of its period.</summary>
public enum Period { Day, Week, Month, Year }
