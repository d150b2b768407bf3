using Coordination.Directory.Organisations;
using Xunit;

namespace Coordination.Directory.Tests.Organisations;

public class OrganisationValidationTests
{
    [Fact]
    public void Unknown_departement_and_need_codes_are_named_in_french()
    {
        var validation = new OrganisationValidation();
        validation.Departements(["93", "999"]);
        validation.Needs(["logement"]);

        Assert.False(validation.IsValid);
        Assert.Contains("999", Assert.Single(validation.Errors["departements"]));
        Assert.Contains("n'est pas un besoin connu", Assert.Single(validation.Errors["needs"]));
    }

    [Fact]
    public void Corsica_and_overseas_codes_are_departements()
    {
        var validation = new OrganisationValidation();
        var codes = validation.Departements(["2A", "2B", "971", "976"]);

        Assert.True(validation.IsValid);
        Assert.Equal(["2A", "2B", "971", "976"], codes);
    }

    [Fact]
    public void Duplicate_codes_are_folded_and_sorted()
    {
        var validation = new OrganisationValidation();
        Assert.Equal(["75", "93"], validation.Departements(["93", "75", "93"]));
    }

    [Fact]
    public void An_iscg_post_must_say_where_it_is_and_who_employs_it()
    {
        var validation = new OrganisationValidation();
        validation.KindDetails(OrganisationKind.IscgPost, new IscgPostDetailsRequest(null, null, null), null);

        Assert.Contains("iscgPost.setting", validation.Errors.Keys);
        Assert.Contains("iscgPost.employer", validation.Errors.Keys);
    }

    [Fact]
    public void A_partner_needs_a_known_network_and_an_association_has_none()
    {
        var partner = new OrganisationValidation();
        partner.KindDetails(OrganisationKind.Partner, null, "banque-imaginaire");
        var association = new OrganisationValidation();
        association.KindDetails(OrganisationKind.VictimSupportAssociation, null, "ccas-cias");

        Assert.Contains("partnerNetwork", partner.Errors.Keys);
        Assert.Contains("partnerNetwork", association.Errors.Keys);
    }

    [Fact]
    public void Contact_details_are_checked()
    {
        var validation = new OrganisationValidation();
        validation.Contact(new ContactRequest("01 23 45 67 89 ext. secrétariat", "pas-une-adresse", null, "9300", null));

        Assert.Equal(["contact.email", "contact.phone", "contact.postalCode"], validation.Errors.Keys.Order());
    }
}
