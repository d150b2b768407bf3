namespace Coordination.Portal.Api;

/// <summary>The Dashboard's yearly report: one indicator view per family, with the name of its sheet and what it means.</summary>
public sealed record AnnualReportFamily(string Sheet, string Meaning, IndicatorView View);

public sealed record AnnualReport(int Year, string Scope, Guid? Organisation, bool Suppressed, DateTimeOffset GeneratedAt, IReadOnlyList<AnnualReportFamily> Families);
