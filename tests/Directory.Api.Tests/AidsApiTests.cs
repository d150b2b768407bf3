using System.Net;
using System.Text;
using Coordination.Directory.Aids;
using Coordination.Directory.Aids.Exchanging;
using Coordination.Directory.Aids.GettingDetails;
using Coordination.Directory.Aids.GettingHistory;
using Coordination.Directory.Aids.ListingForReview;
using Coordination.Directory.Aids.Proposing;
using Coordination.Directory.Aids.Searching;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;
using static Coordination.Directory.Api.Tests.AidRequests;
using static Coordination.Testing.Specification;

namespace Coordination.Directory.Api.Tests;

public class AidsApiTests(DirectoryFactory factory) : IClassFixture<DirectoryFactory>
{
    private const string Aids = "/api/directory/aids";

    private HttpClient Coordinator() => factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator, userId: "coord-fv"));
    private HttpClient Worker() => factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, Guid.NewGuid(), userId: "iscg-1"));
    private HttpClient As(string role, string userId) => factory.CreateClient().As(TestTokens.For(role, Guid.NewGuid(), userId: userId));

    private static string Unique(string name) => $"{name} {Guid.NewGuid():N}"[..(name.Length + 9)];

    private async Task<(Guid Id, string ETag)> Create(HttpClient client, object body)
    {
        var answer = await When(() => client.SendJson(HttpMethod.Post, Aids, body)).Then(HttpStatusCode.Created);
        return ((await answer.Body<AidCreated>()).Id, answer.Response.Headers.ETag!.Tag);
    }

    private async Task<AidSheet> Sheet(Guid id) => await (await Worker().GetAsync($"{Aids}/{id}")).ReadJson<AidSheet>();

    private async Task<IReadOnlyList<AidFound>> Search(string query) =>
        (await (await Worker().GetAsync($"{Aids}?pageSize=100&{query}")).HasStatus(HttpStatusCode.OK)).ReadJson<AidsFound>().Result.Items;

    [Fact]
    public async Task Searching_a_need_in_a_departement_for_a_situation_returns_national_and_local_aids_most_relevant_first_without_withdrawn_or_elsewhere()
    {
        var (national, _) = await Given(() => Create(Coordinator(), National(Unique("Aide nationale logement"), [Housing])));
        var (local93, _) = await Create(Coordinator(), Local(Unique("Nuitées d'hôtel 93"), ["93"], [Housing], ["intrafamilyViolence"]));
        var (both, _) = await Create(Coordinator(), National(Unique("Accompagnement global"), [Housing, Violence]));
        var (lyon, _) = await Create(Coordinator(), Local(Unique("Nuitées d'hôtel 69"), ["69"], [Housing]));
        var (roadOnly, _) = await Create(Coordinator(), National(Unique("Fonds accidents de la route"), [Housing], ["roadAccident"]));
        var (withdrawn, etag) = await Create(Coordinator(), National(Unique("Ancien dispositif"), [Housing]));
        await When(() => Coordinator().SendJson(HttpMethod.Post, $"{Aids}/{withdrawn}/withdrawal", new { reason = "Supprimé" }, etag))
            .Then(HttpStatusCode.NoContent);
        Guid[] mine = [national, local93, both, lyon, roadOnly, withdrawn];

        var found = await Search($"departement=93&need={Housing}&need={Violence}&situation=intrafamilyViolence");

        Assert.Equal([both, local93, national], found.Select(f => f.Aid.Id).Where(mine.Contains));
        Assert.Equal(2, found.Single(f => f.Aid.Id == both).MatchedNeeds.Count);
        Assert.All(found, f => Assert.Equal(AidStatus.Published, f.Aid.Status));
        Assert.True(found.Single(f => f.Aid.Id == local93).ToVerify); // entered by a coordinator, never verified
    }

    [Fact]
    public async Task Free_text_and_kind_narrow_the_search()
    {
        var name = Unique("Bracelet anti-rapprochement");
        var (bracelet, _) = await Given(() => Create(Coordinator(), National(name, [Violence], kind: "inKind")));

        Assert.Equal([bracelet], (await Search($"q={Uri.EscapeDataString(name.ToUpperInvariant())}")).Select(f => f.Aid.Id));
        Assert.Empty(await Search($"q={Uri.EscapeDataString(name)}&kind=loan"));
        await When(() => Worker().GetAsync($"{Aids}?kind=cadeau&departement=99X"))
            .Then<Problem>(HttpStatusCode.BadRequest, p => Assert.Equal(["departement", "kind"], p.Errors!.Keys.Order()));
    }

    [Theory]
    [InlineData("needs", "« besoin-inconnu » n'est pas un besoin connu du référentiel data·inclusion.")]
    [InlineData("departements", "« 99X » n'est pas un code de département INSEE.")]
    [InlineData("availableUntil", "La date de fin doit être postérieure ou égale à la date de début.")]
    [InlineData("amountMin", "Le montant ne peut pas être négatif.")]
    [InlineData("sourceUrl", "La source doit être l'adresse d'une page web, commençant par https:// (ou http://).")]
    [InlineData("grantorOrganisationId", "Aucune organisation du répertoire ne porte cet identifiant.")]
    public async Task Each_bad_field_is_a_400_in_french_and_nothing_is_written(string field, string message)
    {
        var name = Unique("Aide invalide");
        var body = field switch
        {
            "needs" => National(name).With("needs", new[] { "besoin-inconnu" }),
            "departements" => Local(name, ["99X"]),
            "availableUntil" => National(name).With("availableFrom", "2027-06-30").With("availableUntil", "2027-01-01"),
            "amountMin" => National(name).With("amountMin", -20m),
            "sourceUrl" => National(name).With("sourceUrl", "le site de la CAF"),
            _ => National(name).With("grantorOrganisationId", Guid.NewGuid()),
        };

        await When(() => Worker().SendJson(HttpMethod.Post, Aids, body)).Then<Problem>(HttpStatusCode.BadRequest, problem =>
        {
            Assert.Equal("Certaines informations sont invalides", problem.Title);
            Assert.Equal([message], problem.Errors![field]);
        });
        Assert.Empty(await Search($"q={Uri.EscapeDataString(name)}"));
        var review = await (await Coordinator().GetAsync($"{Aids}/review")).ReadJson<AidsToReview>();
        Assert.DoesNotContain(review.Proposals, a => a.Content.Name == name);
    }

    [Fact]
    public async Task A_workers_proposal_stays_out_of_the_guide_until_the_departements_referent_validates_it()
    {
        await Given(() => Coordinator().SendJson(HttpMethod.Put, $"{Aids}/referents/974", new { userIds = new[] { "referent-974" } }));
        var referent = As(Roles.AssociationStaff, "referent-974");
        var name = Unique("Fonds d'urgence de La Réunion");
        var (id, etag) = await Create(Worker(), Local(name, ["974"], [Housing]));
        Assert.Equal(AidStatus.Proposed, (await Sheet(id)).Aid.Status);
        Assert.Empty(await Search($"q={Uri.EscapeDataString(name)}"));

        await When(() => Worker().SendJson(HttpMethod.Post, $"{Aids}/{id}/validation", new { }, etag))
            .Then<Problem>(HttpStatusCode.Forbidden, p => Assert.Contains("référents désignés", p.Detail));
        var review = await (await referent.GetAsync($"{Aids}/review")).HasStatus(HttpStatusCode.OK);
        Assert.Contains((await review.ReadJson<AidsToReview>()).Proposals, a => a.Id == id);
        await When(() => referent.SendJson(HttpMethod.Post, $"{Aids}/{id}/validation", new { }, etag)).Then(HttpStatusCode.NoContent);

        var sheet = await Sheet(id);
        Assert.Equal(AidStatus.Published, sheet.Aid.Status);
        Assert.Equal("referent-974", sheet.Aid.LastVerifiedBy);
        Assert.False(sheet.ToVerify);
        Assert.Equal([id], (await Search($"q={Uri.EscapeDataString(name)}")).Select(f => f.Aid.Id));
        var history = await (await Worker().GetAsync($"{Aids}/{id}/history")).ReadJson<List<AidHistoryEntry>>();
        Assert.Equal([("proposed", "iscg-1"), ("published", "referent-974"), ("verified", "referent-974")], history.Select(h => (h.Change, h.By)));
    }

    [Fact]
    public async Task A_referent_may_not_validate_another_departements_aid_nor_a_national_one()
    {
        await Given(() => Coordinator().SendJson(HttpMethod.Put, $"{Aids}/referents/976", new { userIds = new[] { "referent-976" } }));
        var (elsewhere, etag1) = await Create(Worker(), Local(Unique("Aide de Guyane"), ["973"]));
        var (national, etag2) = await Create(Worker(), National(Unique("Aide nationale proposée")));
        var referent = As(Roles.AssociationStaff, "referent-976");

        await When(() => referent.SendJson(HttpMethod.Post, $"{Aids}/{elsewhere}/validation", new { }, etag1)).Then(HttpStatusCode.Forbidden);
        await When(() => referent.SendJson(HttpMethod.Post, $"{Aids}/{national}/validation", new { }, etag2))
            .Then<Problem>(HttpStatusCode.Forbidden, p => Assert.Equal("Seuls les coordinateurs nationaux valident les aides nationales.", p.Detail));
        Assert.Equal(AidStatus.Proposed, (await Sheet(national)).Aid.Status);
    }

    [Fact]
    public async Task A_correction_is_applied_once_a_coordinator_accepts_it_and_the_history_keeps_each_author()
    {
        var body = National(Unique("Allocation de soutien familial"), [Housing]);
        var (id, etag) = await Given(() => Create(Coordinator(), body));
        var corrected = body.With("amountMin", 199.19m);

        var proposed = await When(() => Worker().SendJson(HttpMethod.Post, $"{Aids}/{id}/corrections",
            new { content = corrected, comment = "Montant revalorisé au 1er avril" }, etag)).Then(HttpStatusCode.Created);
        var correctionId = (await proposed.Body<Coordination.Directory.Aids.ProposingCorrection.CorrectionProposed>()).CorrectionId;
        Assert.Equal(243.5m, (await Sheet(id)).Aid.Content.Amount.Min);

        await When(() => Coordinator().SendJson(HttpMethod.Post, $"{Aids}/{id}/corrections/{correctionId}/acceptance", new { }, proposed.ETag!.Quoted()))
            .Then(HttpStatusCode.NoContent);

        var sheet = await Sheet(id);
        Assert.Equal(199.19m, sheet.Aid.Content.Amount.Min);
        Assert.Empty(sheet.Aid.PendingCorrections);
        var history = await (await Worker().GetAsync($"{Aids}/{id}/history")).ReadJson<List<AidHistoryEntry>>();
        Assert.Contains(history, h => h is { Change: "correctionProposed", By: "iscg-1", Note: "Montant revalorisé au 1er avril" });
        Assert.Contains(history, h => h is { Change: "correctionAccepted", By: "coord-fv" });
    }

    [Fact]
    public async Task Withdrawal_needs_a_reason_and_if_match_and_keeps_the_reason_in_the_history()
    {
        var (id, etag) = await Given(() => Create(Coordinator(), National(Unique("Dispositif supprimé"))));

        await When(() => Coordinator().SendJson(HttpMethod.Post, $"{Aids}/{id}/withdrawal", new { reason = "Fin" }))
            .Then((HttpStatusCode)428);
        await When(() => Coordinator().SendJson(HttpMethod.Post, $"{Aids}/{id}/withdrawal", new { reason = "Fin" }, "\"9\""))
            .Then(HttpStatusCode.PreconditionFailed);
        await When(() => Coordinator().SendJson(HttpMethod.Post, $"{Aids}/{id}/withdrawal", new { reason = " " }, etag))
            .Then<Problem>(HttpStatusCode.BadRequest, p => Assert.StartsWith("Indiquez pourquoi l'aide est retirée", p.Errors!["reason"][0]));
        await When(() => Coordinator().SendJson(HttpMethod.Post, $"{Aids}/{id}/withdrawal", new { reason = "Remplacé par l'aide universelle d'urgence" }, etag))
            .Then(HttpStatusCode.NoContent);

        var sheet = await Sheet(id);
        Assert.Equal(AidStatus.Withdrawn, sheet.Aid.Status);
        Assert.Equal("Remplacé par l'aide universelle d'urgence", sheet.Aid.WithdrawalReason);
        var history = await (await Worker().GetAsync($"{Aids}/{id}/history")).ReadJson<List<AidHistoryEntry>>();
        Assert.Equal(("withdrawn", "coord-fv", "Remplacé par l'aide universelle d'urgence"), history.Select(h => (h.Change, h.By, h.Note)).Last());
    }

    [Fact]
    public async Task The_csv_export_reads_in_a_french_spreadsheet_and_imports_back_unchanged_then_applies_an_edit()
    {
        var name = Unique("Aide au relogement ; urgence");
        var (id, _) = await Given(() => Create(Coordinator(), Local(name, ["93"], [Housing], ["intrafamilyViolence"])
            .With("amountMin", 1234.5m).With("availableFrom", "2027-01-01").With("availableUntil", "2027-12-31")));

        var export = await When(() => Coordinator().GetAsync($"{Aids}/export.csv")).Then(HttpStatusCode.OK);
        var bytes = await export.Response.Content.ReadAsByteArrayAsync();
        Assert.Equal("text/csv", export.Response.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var row = text.Split("\r\n").Single(line => line.StartsWith(id.ToString()));
        Assert.Contains($"\"{name}\";Prise en charge;CCAS de la commune;;Locale;93;Montreuil;{Housing};Violences intrafamiliales;", row);
        Assert.Contains(";1234,5;1500;", row);
        Assert.Contains(";01/01/2027;31/12/2027;Publiée;;oui", row);

        var unchanged = await When(() => Import(text)).Then(HttpStatusCode.OK);
        var counts = await unchanged.Body<AidsImported>();
        Assert.Equal(0, counts.Created + counts.Updated);

        var edited = text.Replace($"\"{name}\";Prise en charge", $"\"{name} (2027)\";Prise en charge");
        await When(() => Import(edited)).Then<AidsImported>(HttpStatusCode.OK, c => Assert.Equal((0, 1), (c.Created, c.Updated)));
        Assert.Equal($"{name} (2027)", (await Sheet(id)).Aid.Content.Name);
    }

    [Fact]
    public async Task A_csv_import_with_one_wrong_row_writes_nothing_and_names_each_error_by_line_in_french()
    {
        var good = Unique("Aide importée correcte");
        var header = string.Join(';', AidsCsv.Columns);
        var csv = $"\uFEFF{header}\r\n"
            + $";{good};Aide financière;CAF;;Nationale;;;{Housing};;Conditions;Démarche;;;100;200;;https://www.caf.fr/;;\r\n"
            + $";Aide fautive;Cadeau;CAF;;Locale;99X;;besoin-inconnu;;Conditions;Démarche;;;-5;douze;;caf.fr;31/12/2027;01/01/2027\r\n";

        var problem = await When(() => Import(csv)).Then<Problem>(HttpStatusCode.BadRequest, p => Assert.Equal(["ligne 3"], p.Errors!.Keys));

        var errors = problem.Errors!["ligne 3"];
        Assert.Contains("Nature : « Cadeau » n'est pas une valeur connue (Aide financière, Prêt, Allocation, Indemnisation, Prise en charge, Aide en nature).", errors);
        Assert.Contains("Montant maximum : « douze » n'est pas un montant (écrivez par exemple 1 500,00).", errors);
        Assert.Contains("Départements : « 99X » n'est pas un code de département INSEE.", errors);
        Assert.Contains("Besoins : « besoin-inconnu » n'est pas un besoin connu du référentiel data·inclusion.", errors);
        Assert.Contains("Montant minimum : Le montant ne peut pas être négatif.", errors);
        Assert.Contains("Source officielle : La source doit être l'adresse d'une page web, commençant par https:// (ou http://).", errors);
        Assert.Contains("Disponible jusqu'au : La date de fin doit être postérieure ou égale à la date de début.", errors);
        Assert.Empty(await Search($"q={Uri.EscapeDataString(good)}"));
    }

    [Fact]
    public async Task Only_coordinators_export_and_import()
    {
        await When(() => Worker().GetAsync($"{Aids}/export.csv")).Then(HttpStatusCode.Forbidden);
        await When(() => Import("x", Worker())).Then(HttpStatusCode.Forbidden);
    }

    private Task<HttpResponseMessage> Import(string csv, HttpClient? client = null) =>
        (client ?? Coordinator()).PostAsync($"{Aids}/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
}

internal static class ETagText
{
    public static string Quoted(this string tag) => $"\"{tag}\"";
}

public class DemoAidsTests(DirectoryFactory factory) : IClassFixture<DirectoryFactory>
{
    /// <summary>The seed posts infra/demo/aids.json as it stands: every aid must pass the API's validation, and land "à vérifier".</summary>
    [Fact]
    public async Task Every_demo_aid_is_accepted_as_it_stands_and_lands_to_verify_with_no_verifier()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Coordination.sln"))) root = root.Parent!;
        var aids = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, "infra/demo/aids.json"))).RootElement;
        var coordinator = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));
        // The organisations some aids name as their grantor, as the seed registers them first.
        foreach (var organisation in aids.EnumerateArray().Where(a => a.TryGetProperty("grantorOrganisationId", out _))
                     .Select(a => a.GetProperty("grantorOrganisationId").GetGuid()).Distinct())
            await (await coordinator.SendJson(HttpMethod.Post, "/api/directory/organisations", new
            {
                id = organisation, name = $"Organisation {organisation:N}", kind = "partner", partnerNetwork = "ccas-cias",
                departements = new[] { "93" }, needs = new[] { Housing },
            })).HasStatus(HttpStatusCode.Created);

        foreach (var aid in aids.EnumerateArray())
            await When(() => coordinator.PostAsync("/api/directory/aids", new StringContent(aid.GetRawText(), Encoding.UTF8, "application/json")))
                .Then(HttpStatusCode.Created);

        var national = await (await coordinator.GetAsync("/api/directory/aids?pageSize=100&departement=75")).ReadJson<AidsFound>();
        Assert.True(national.Total >= 25, $"{national.Total} national aids");
        Assert.All(national.Items, f => Assert.True(f.ToVerify && f.Aid.LastVerifiedBy is null));
        var housing93 = await (await coordinator.GetAsync($"/api/directory/aids?pageSize=100&departement=93&need={Housing}")).ReadJson<AidsFound>();
        Assert.Contains(housing93.Items, f => f.Aid.Content.Scope == AidScope.Local);
        Assert.DoesNotContain(housing93.Items, f => f.Aid.Content.Departements.Contains("69"));
    }
}
