namespace Coordination.Dashboard.Projects;

public sealed record FundingLineFacts(Guid LineId, string Funder, decimal Requested, decimal? Granted, string Decision, long Version);
