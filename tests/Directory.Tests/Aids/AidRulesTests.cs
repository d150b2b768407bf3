using Coordination.Directory.Aids;
using Coordination.Directory.Aids.Exchanging;
using Coordination.Directory.Aids.GettingDetails;
using Coordination.Directory.Aids.Publishing;
using Coordination.Directory.Aids.Searching;
using JasperFx.Events;
using Xunit;
using Published = Coordination.Contracts.Directory;

namespace Coordination.Directory.Tests.Aids;

public class AidRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private const string Housing = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire";
    private const string Violence = "famille--surmonter-conflits-separation-violence";

    private static AidContentRequest Request(
        string? name = "Aide universelle d'urgence", AidKind? kind = AidKind.Grant, AidScope? scope = AidScope.National,
        string[]? departements = null, string[]? needs = null, decimal? min = null, decimal? max = null, string? source = "https://www.caf.fr/",
        DateOnly? from = null, DateOnly? until = null, string? grantor = "CAF") =>
        new(null, name, kind, null, grantor, scope, departements, null, needs ?? [Housing], [AidSituation.IntrafamilyViolence],
            "Victimes de violences conjugales ayant déposé plainte.", "Demande à la CAF.", null, "3 à 5 jours", min, max, null, source, from, until);

    [Fact]
    public void A_complete_request_gives_the_content_with_sorted_codes()
    {
        var validation = new AidValidation();
        var content = validation.Content(Request(scope: AidScope.Local, departements: ["93", "75", "93"], needs: [Violence, Housing]), null);

        Assert.True(validation.IsValid);
        Assert.Equal(["75", "93"], content!.Departements);
        Assert.Equal([Violence, Housing], content.Needs.Order(StringComparer.Ordinal));
        Assert.Equal("CAF", content.Grantor.Name);
    }

    [Theory]
    [InlineData("needs", "« pas-un-besoin » n'est pas un besoin connu du référentiel data·inclusion.")]
    [InlineData("departements", "« 99X » n'est pas un code de département INSEE.")]
    [InlineData("availableUntil", "La date de fin doit être postérieure ou égale à la date de début.")]
    [InlineData("amountMin", "Le montant ne peut pas être négatif.")]
    [InlineData("amountMax", "Le montant maximum doit être supérieur ou égal au montant minimum.")]
    [InlineData("sourceUrl", "La source doit être l'adresse d'une page web, commençant par https:// (ou http://).")]
    [InlineData("name", "Ce champ est obligatoire.")]
    [InlineData("grantorName", "Indiquez qui accorde l'aide (par exemple « CAF », « Conseil départemental », « CCAS de la commune »).")]
    public void Each_bad_field_has_its_french_message(string field, string message)
    {
        var request = field switch
        {
            "needs" => Request(needs: ["pas-un-besoin"]),
            "departements" => Request(scope: AidScope.Local, departements: ["99X"]),
            "availableUntil" => Request(from: new DateOnly(2027, 6, 30), until: new DateOnly(2027, 1, 1)),
            "amountMin" => Request(min: -10),
            "amountMax" => Request(min: 500, max: 100),
            "sourceUrl" => Request(source: "caf.fr, rubrique aides"),
            "name" => Request(name: "   "),
            _ => Request(grantor: null),
        };
        var validation = new AidValidation();

        Assert.Null(validation.Content(request, null));
        Assert.Equal([field], validation.Errors.Keys);
        Assert.Equal([message], validation.Errors[field]);
    }

    [Fact]
    public void A_national_aid_lists_no_departement_and_a_local_one_needs_one()
    {
        var national = new AidValidation();
        national.Content(Request(departements: ["93"]), null);
        var local = new AidValidation();
        local.Content(Request(scope: AidScope.Local), null);

        Assert.StartsWith("Une aide nationale s'applique partout", national.Errors["departements"][0]);
        Assert.StartsWith("Une aide locale s'applique dans au moins un département", local.Errors["departements"][0]);
    }

    [Fact]
    public void An_unknown_directory_organisation_as_grantor_is_refused()
    {
        var validation = new AidValidation();
        validation.Content(Request() with { GrantorOrganisationId = Guid.NewGuid(), GrantorName = null }, grantorOrganisationName: null);

        Assert.Equal(["Aucune organisation du répertoire ne porte cet identifiant."], validation.Errors["grantorOrganisationId"]);
    }

    private static AidDetails Aid(string name, AidScope scope, string[] departements, string[] needs, AidSituation[] situations,
        AidStatus status = AidStatus.Published) =>
        new(Guid.NewGuid(), new AidContent(name, AidKind.Grant, new AidGrantor(null, "CAF"), scope, departements, [], needs, situations,
            "Conditions", "Démarche", null, null, new AidAmount(null, null, null), "https://example.org/", null, null),
            status, null, null, [], null, null, "s", Now, Now, 2);

    [Fact]
    public void Search_ranks_more_matched_needs_first_then_local_before_national_and_leaves_out_other_departements_and_withdrawn()
    {
        var national = Aid("Aide nationale au logement", AidScope.National, [], [Housing], []);
        var local = Aid("Hébergement d'urgence du 93", AidScope.Local, ["93"], [Housing], [AidSituation.IntrafamilyViolence]);
        var both = Aid("Accompagnement global", AidScope.National, [], [Housing, Violence], []);
        var lyon = Aid("Hébergement du Rhône", AidScope.Local, ["69"], [Housing], []);
        var withdrawn = Aid("Ancien dispositif", AidScope.National, [], [Housing], [], AidStatus.Withdrawn);
        var otherSituation = Aid("Fonds pour accidentés de la route", AidScope.National, [], [Housing], [AidSituation.RoadAccident]);

        var found = SearchAidsEndpoint.Rank([national, local, both, lyon, withdrawn, otherSituation],
            new AidSearch("93", [Housing, Violence], AidSituation.IntrafamilyViolence, null, null, null), Now);

        Assert.Equal([both.Id, local.Id, national.Id], found.Select(f => f.Aid.Id));
        Assert.Equal([Violence, Housing], found[0].MatchedNeeds.Order(StringComparer.Ordinal));
        Assert.All(found, f => Assert.True(f.ToVerify));
    }

    [Fact]
    public void Free_text_ignores_accents_and_case()
    {
        var local = Aid("Hébergement d'urgence du 93", AidScope.Local, ["93"], [Housing], []);

        Assert.Single(SearchAidsEndpoint.Rank([local], new AidSearch(null, [], null, null, "HEBERGEMENT urgence", null), Now));
        Assert.Empty(SearchAidsEndpoint.Rank([local], new AidSearch(null, [], null, null, "bracelet", null), Now));
    }

    [Fact]
    public void French_csv_reads_quoted_cells_with_separators_and_line_breaks_and_a_bom()
    {
        var bytes = FrenchCsv.Write([["Nom", "Conditions"], ["Aide ; urgente", "Ligne 1\nLigne \"2\""]]);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);

        var rows = FrenchCsv.Read(System.Text.Encoding.UTF8.GetString(bytes));

        Assert.Equal(2, rows.Count);
        Assert.Equal(["Aide ; urgente", "Ligne 1\nLigne \"2\""], rows[1].Cells);
        Assert.Equal(2, rows[1].Line);
    }

    [Theory]
    [InlineData("1 234,50", 1234.50)]
    [InlineData("1\u202F234,5 €", 1234.5)]
    [InlineData("150", 150)]
    public void French_amounts_are_read_with_a_decimal_comma(string cell, double expected)
    {
        Assert.True(FrenchCsv.TryAmount(cell, out var amount));
        Assert.Equal((decimal)expected, amount);
        Assert.False(FrenchCsv.TryAmount("douze", out _));
        Assert.True(FrenchCsv.TryDate("31/01/2027", out var date));
        Assert.Equal(new DateOnly(2027, 1, 31), date);
        Assert.False(FrenchCsv.TryDate("2027-01-31", out _));
    }

    [Fact]
    public void A_verification_and_a_withdrawal_leave_as_contracts_without_any_text()
    {
        var id = Guid.NewGuid();
        static IEvent Stored(object data, long version)
        {
            var stored = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(data.GetType()), data)!;
            stored.Version = version;
            return stored;
        }

        var verified = Assert.IsType<Published.AidVerified>(AidContractsMapper.Map(Stored(new AidVerified(id, "coord-1", Now), 3)));
        var withdrawn = Assert.IsType<Published.AidWithdrawn>(AidContractsMapper.Map(Stored(new AidWithdrawn(id, "Supprimée", "coord-1", Now), 4)));
        var changed = Assert.IsType<Published.AidChanged>(AidContractsMapper.Map(Stored(new AidEdited(id, Aid("x", AidScope.Local, ["93"], [Housing],
            [AidSituation.IntrafamilyViolence]).Content, "coord-1", Now), 5)));

        Assert.Equal((id, Now, 3L), (verified.AidId, verified.VerifiedAt, verified.SourceVersion));
        Assert.Equal(4, withdrawn.SourceVersion);
        Assert.Equal(["intrafamily-violence"], changed.Situations);
        Assert.Equal(["93"], changed.Departements);
        Assert.False(changed.National);
        Assert.Null(AidContractsMapper.Map(Stored(new AidProposed(id, changed is null ? null! : Aid("x", AidScope.National, [], [Housing], []).Content, "s", Now), 1)));
    }
}
