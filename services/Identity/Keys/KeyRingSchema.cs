using Weasel.Postgresql.Tables;

namespace Coordination.Identity.Keys;

/// <summary>
/// Identity's side of the shared Data Protection key ring (<see cref="SharedKeyRing"/>): the table lives in Identity's
/// database and schema, so its migration step (<c>--migrate</c>) creates it and a Production start refuses a database
/// without it, like any other of its objects. The Portal's replicas reach the same table through
/// <c>ConnectionStrings:DataProtection</c>.
/// </summary>
public static class KeyRingSchema
{
    public const string ApplicationName = "Coordination.Identity";

    public static IHostApplicationBuilder AddIdentityKeyRing(this IHostApplicationBuilder builder)
    {
        builder.AddSharedKeyRing(ApplicationName, builder.Configuration.GetConnectionString(EventStoreSetup.ConnectionStringName));
        var schema = builder.Configuration[$"{SharedKeyRing.Section}:Schema"] is { Length: > 0 } s ? s : SharedKeyRing.DefaultSchema;
        builder.Services.ConfigureMarten(options => options.Storage.ExtendedSchemaObjects.Add(Table(schema)));
        return builder;
    }

    public static Table Table(string schema)
    {
        var table = new Table(Weasel.Postgresql.PostgresqlProvider.Instance.Parse(schema, SharedKeyRing.TableName));
        table.AddColumn<string>("friendly_name").AsPrimaryKey();
        table.AddColumn<string>("xml").NotNull();
        table.AddColumn("stored_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        return table;
    }
}
