using Coordination.Contracts;
using Coordination.Directory.Organisations;
using Coordination.Directory.Organisations.Publishing;
using JasperFx.Events;
using Xunit;
using Published = Coordination.Contracts.Directory;

namespace Coordination.Directory.Tests.Organisations;

public class OrganisationContractsMapperTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 14, 0, 0, TimeSpan.Zero);

    private static IEvent Stored(object data, long version)
    {
        var stored = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(data.GetType()), data)!;
        stored.Version = version;
        stored.Id = Guid.NewGuid();
        return stored;
    }

    [Fact]
    public void Registration_maps_to_codes_and_carries_stream_id_version_and_time()
    {
        var registered = new OrganisationRegistered(Id, "ISCG commissariat de Saint-Denis", OrganisationKind.IscgPost,
            new IscgPostDetails(IscgPostSetting.Police, IscgEmployer.Departement, "Conseil départemental 93"), null,
            new OrganisationContact("01 00 00 00 00", null, null, null, null), ["93"], ["sante--sante-mentale"], true, "coord", Now);

        var contract = Assert.IsType<Published.OrganisationRegistered>(new OrganisationContractsMapper().Map(Stored(registered, 1)));

        Assert.Equal(Id, contract.SourceStreamId);
        Assert.Equal(1, contract.SourceVersion);
        Assert.Equal(Now, contract.OccurredAt);
        Assert.Equal(Published.OrganisationKinds.IscgPost, contract.Kind);
        Assert.Equal("police", contract.IscgPostSetting);
    }

    [Fact]
    public void A_details_update_publishes_the_public_name_and_never_the_contact()
    {
        var updated = new OrganisationDetailsUpdated(Id, "Nom", null, null, new OrganisationContact("01 00 00 00 00", "a@b.fr", null, null, null), "u", Now);

        var renamed = Assert.IsType<Published.OrganisationRenamed>(new OrganisationContractsMapper().Map(Stored(updated, 2)));

        Assert.Equal(("Nom", 2L, Now), (renamed.Name, renamed.SourceVersion, renamed.OccurredAt));
    }

    /// <summary>Contracts carry ids, codes, dates, counts and flags: no free text that could hold a name or a phone number.</summary>
    [Fact]
    public void No_contract_has_a_free_text_field()
    {
        var allowedStrings = new HashSet<string>
        {
            "Kind", "PartnerNetwork", "IscgPostSetting", "Departement", "Urgency", "Situation", "Outcome", "DeclinedBy", "Audience", "Type", "Stage", "PreviousStage", "Funder", "Decision", "Moment",
            // An organisation's public name (not personal data); an account's subject id and role code.
            "Name", "UserId", "Role",
        };
        var contracts = typeof(IIntegrationEvent).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(IIntegrationEvent).IsAssignableFrom(t))
            // The one deliberate exception (docs/privacy.md): a professional's name and address, bound by Notifications alone.
            .Where(t => t != typeof(Coordination.Contracts.Identity.AccountDeliveryAddressChanged)).ToList();

        Assert.NotEmpty(contracts);
        foreach (var property in contracts.SelectMany(t => t.GetProperties()))
        {
            AssertIdCodeDateCountOrFlag(property, allowedStrings);
        }
    }

    // A list of small records (e.g. attendance per organisation) is checked field by field, like the contract itself.
    private static void AssertIdCodeDateCountOrFlag(System.Reflection.PropertyInfo property, HashSet<string> allowedStrings)
    {
        var type = property.PropertyType;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
            && type.GetGenericArguments()[0] is { IsClass: true } item && item != typeof(string)
            && item.Assembly == typeof(IIntegrationEvent).Assembly)
        {
            foreach (var field in item.GetProperties())
            {
                AssertIdCodeDateCountOrFlag(field, allowedStrings);
            }

            return;
        }

        Assert.True(type == typeof(Guid) || type == typeof(Guid?) || type == typeof(long) || type == typeof(int) || type == typeof(bool)
                    || type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?) || type == typeof(DateOnly) || type == typeof(decimal)
                    || type == typeof(decimal?) || type == typeof(double) || type == typeof(IReadOnlyList<string>)
                    || (type == typeof(string) && allowedStrings.Contains(property.Name)),
            $"{property.DeclaringType!.Name}.{property.Name} ({type.Name}) is not an id, code, date, count or flag.");
    }
}
