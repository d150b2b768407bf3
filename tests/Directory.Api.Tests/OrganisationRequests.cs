namespace Coordination.Directory.Api.Tests;

/// <summary>Request bodies as a client would send them (plain JSON shapes, not the service's types).</summary>
public static class OrganisationRequests
{
    public const string Violence = "famille--surmonter-conflits-separation-violence";
    public const string EmergencyHousing = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire";

    public static object Association(string name = "SOS Victimes 93", string[]? departements = null, Guid? id = null) => new
    {
        id,
        name,
        kind = "victimSupportAssociation",
        contact = new { phone = "01 41 60 19 60", email = "accueil@sosvictimes93.example", city = "Bobigny", postalCode = "93000" },
        departements = departements ?? ["93"],
        needs = new[] { Violence, "coordination--aide-aux-victimes" },
    };

    public static object IscgPost(string name, string departement) => new
    {
        name,
        kind = "iscgPost",
        iscgPost = new { setting = "police", employer = "departement", employerName = "Conseil départemental" },
        departements = new[] { departement },
        needs = new[] { Violence, EmergencyHousing },
    };

    public static object Partner(string name, string network, string departement, bool accepts = true) => new
    {
        name,
        kind = "partner",
        partnerNetwork = network,
        departements = new[] { departement },
        needs = new[] { EmergencyHousing },
        acceptsReferrals = accepts,
    };
}
