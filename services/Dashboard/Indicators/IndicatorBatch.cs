using Npgsql;

namespace Coordination.Dashboard.Indicators;

/// <summary>
/// Several aggregate statements over the same read model in one round trip. The views read Marten's documents'
/// duplicated columns with SQL aggregates: the cost of a query grows with the rows in its scope, never with the
/// number of events.
/// </summary>
public sealed class IndicatorBatch(NpgsqlDataSource db, string scopedCte, Action<NpgsqlParameterCollection> bindScope)
{
    private readonly List<(NpgsqlBatchCommand Command, Action<NpgsqlDataReader> Read)> statements = [];
    private string? materialize;

    /// <summary>
    /// Copies the rows of the scope once into a temporary table (dropped at commit) that every statement then reads:
    /// one pass over a wide table instead of one per statement.
    /// </summary>
    public IndicatorBatch Materialize(string table, string select)
    {
        materialize = $"create temp table {table} on commit drop as {select}";
        return this;
    }

    public IndicatorBatch Add(string select, Action<NpgsqlDataReader> readRow, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(scopedCte + "\n" + select);
        bindScope(command.Parameters);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        statements.Add((command, readRow));
        return this;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (materialize is not null)
        {
            await using var copy = new NpgsqlCommand(materialize, connection, transaction);
            bindScope(copy.Parameters);
            await copy.ExecuteNonQueryAsync(ct);
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (command, _) in statements) batch.BatchCommands.Add(command);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        foreach (var (_, read) in statements)
        {
            while (await reader.ReadAsync(ct)) read(reader);
            await reader.NextResultAsync(ct);
        }
        await reader.DisposeAsync();
        await transaction.CommitAsync(ct);
    }
}
