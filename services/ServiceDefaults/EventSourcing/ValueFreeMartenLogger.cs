using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Coordination.ServiceDefaults.EventSourcing;

/// <summary>
/// Marten's own logger writes every SQL command with its parameter values at Debug (and on failures): the e-mail
/// address Identity looks an account up by, a name being saved. Turning logging up must never put personal data in
/// the logs (the canaries of issue 23 run at Debug), so this one logs the SQL text, the batch sizes and the
/// counts of saved changes, never a value.
/// </summary>
public sealed partial class ValueFreeMartenLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    // DDL carries no values.
    public void SchemaChange(string sql) => LogSchemaChange(logger, sql);

    public void LogSuccess(NpgsqlCommand command) => LogExecuted(logger, command.CommandText);

    public void LogFailure(NpgsqlCommand command, Exception ex) => LogFailed(logger, ex, command.CommandText);

    public void LogSuccess(NpgsqlBatch batch)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            LogExecuted(logger, string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));
    }

    public void LogFailure(NpgsqlBatch batch, Exception ex) =>
        LogFailed(logger, ex, string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));

    public void LogFailure(Exception ex, string message) => LogFailedWith(logger, ex, message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) =>
        LogSaved(logger, commit.Inserted.Count(), commit.Updated.Count(), commit.Deleted.Count(), commit.GetEvents().Count());

    public void OnBeforeExecute(NpgsqlCommand command) { }

    public void OnBeforeExecute(NpgsqlBatch batch) { }

    [LoggerMessage(Level = LogLevel.Information, Message = "Marten schema change: {Sql}")]
    private static partial void LogSchemaChange(ILogger logger, string sql);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Marten executed (values not logged): {Sql}")]
    private static partial void LogExecuted(ILogger logger, string sql);

    [LoggerMessage(Level = LogLevel.Error, Message = "Marten command failed (values not logged): {Sql}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string sql);

    [LoggerMessage(Level = LogLevel.Error, Message = "Marten: {Message}")]
    private static partial void LogFailedWith(ILogger logger, Exception exception, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Marten saved {Inserted} inserted, {Updated} updated, {Deleted} deleted documents and {Events} events")]
    private static partial void LogSaved(ILogger logger, int inserted, int updated, int deleted, int events);
}
