namespace Coordination.Dashboard.Api.Tests;

public sealed class DashboardFactory() : ServiceFactory<Program>("dashboard");
