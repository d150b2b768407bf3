using Npgsql;

namespace Coordination.Dashboard.Referrals;

/// <summary>Runs <see cref="ReferralMonthRollup.EnsureAsync"/> on start, after Marten applied its own schema.</summary>
public sealed class ReferralMonthRollupSetup(NpgsqlDataSource db, Marten.IDocumentStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await ReferralMonthRollup.EnsureAsync(db, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
