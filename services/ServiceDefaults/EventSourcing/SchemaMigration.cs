using JasperFx;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weasel.Core;

namespace Coordination.ServiceDefaults.EventSourcing;

/// <summary>
/// Schema changes are a step of their own in production: <c>dotnet &lt;service&gt;.dll --migrate</c> (what
/// <c>./coordination migrate</c> and the Kubernetes migration Job run) applies the service's Marten schema and exits;
/// a service started in Production never creates or alters anything (<c>AutoCreate.None</c>) and refuses to start
/// against a database that misses part of its schema. Development and tests keep creating on the fly.
/// </summary>
public static class SchemaMigration
{
    /// <summary>The argument that turns a service into its own migration step (put it last on the command line).</summary>
    public const string Argument = "--migrate";

    /// <summary>Exit code of a service started against a database its schema was not applied to.</summary>
    public const int NotMigratedExitCode = 3;

    /// <summary>Exit code of a service that could not reach PostgreSQL to check (or apply) its schema.</summary>
    public const int DatabaseUnreachableExitCode = 4;

    public static bool Requested(IEnumerable<string>? args = null) =>
        (args ?? Environment.GetCommandLineArgs())
            .Any(a => a is Argument || a.StartsWith(Argument + "=true", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Replaces <c>app.Run()</c>: with <c>--openapi=&lt;file&gt;</c>, writes the OpenAPI document and returns 0; with <c>--migrate</c>, applies the schema and returns 0; in Production, checks the schema
    /// first and returns <see cref="NotMigratedExitCode"/> when something is missing; otherwise runs the service.
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app)
    {
        // --openapi=<file>: the description only; nothing starts, no database is asked.
        if (Coordination.ServiceDefaults.OpenApi.OpenApiExport.RequestedFile() is { Length: > 0 } openApiFile)
            return await Coordination.ServiceDefaults.OpenApi.OpenApiExport.WriteAsync(app, openApiFile);
        var store = app.Services.GetService<IDocumentStore>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Coordination.Schema");
        var service = app.Environment.ApplicationName;
        if (Requested())
        {
            if (store is null)
            {
                Console.WriteLine($"{service}: no database schema to migrate");
                return 0;
            }
            try
            {
                await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate);
            }
            catch (Exception exception) when (IsConnectionFailure(exception))
            {
                log.LogCritical(exception, "{Service}: PostgreSQL unreachable, schema not applied", service);
                return DatabaseUnreachableExitCode;
            }
            Console.WriteLine($"{service}: schema {store.Options.DatabaseSchemaName} applied");
            return 0;
        }

        if (store is not null && app.Environment.IsProduction())
        {
            var missing = await MissingObjects(store, log, service);
            if (missing is null)
                return DatabaseUnreachableExitCode;
            if (missing.Count > 0)
            {
                var message = $"{service}: the database schema is not migrated ({missing.Count} object(s) missing, e.g. " +
                              $"{string.Join(", ", missing.Take(5))}). Run `./coordination migrate` (or the service with {Argument}, " +
                              "the Kubernetes migration Job) before starting this release.";
                log.LogCritical("{Message}", message);
                await Console.Error.WriteLineAsync(message);
                return NotMigratedExitCode;
            }
        }

        await app.RunAsync();
        return 0;
    }

    /// <summary>The schema objects the configuration expects and the database lacks; null when PostgreSQL cannot be reached.</summary>
    private static async Task<List<string>?> MissingObjects(IDocumentStore store, ILogger log, string service)
    {
        try
        {
            var migration = await store.Storage.Database.CreateMigrationAsync();
            var changed = migration.Deltas.Where(d => d.Difference == SchemaPatchDifference.Update)
                .Select(d => d.SchemaObject.Identifier.ToString()).ToList();
            // An object that differs (a newer release added a column, or this one did) is not fatal: rolling back onto an
            // additive schema must work. Say so; a missing one is.
            if (changed.Count > 0)
                log.LogWarning("{Service}: {Count} schema object(s) differ from this release's configuration ({Objects}); " +
                               "if this release is the newer one, run ./coordination migrate",
                    service, changed.Count, string.Join(", ", changed.Take(5)));
            return [.. migration.Deltas.Where(d => d.Difference == SchemaPatchDifference.Create)
                .Select(d => d.SchemaObject.Identifier.ToString())];
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            log.LogCritical(exception, "{Service}: PostgreSQL unreachable, cannot check the schema", service);
            return null;
        }
    }

    private static bool IsConnectionFailure(Exception exception) =>
        exception is Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException
        || (exception.InnerException is { } inner && IsConnectionFailure(inner));
}
