using System.Text;
using Coordination.Directory.Aids.GettingDetails;
using Coordination.Directory.Organisations.GettingDetails;

namespace Coordination.Directory.Aids.Exchanging;

public sealed record AidsImported(int Created, int Updated, int Unchanged);

/// <summary>
/// The catalogue as a spreadsheet, for the national coordinators: export, edit, import. An import writes every row or none:
/// one wrong row and the answer lists the errors of every row, in French, with the line number the spreadsheet shows.
/// </summary>
public static class AidsCsv
{
    /// <summary>The columns an import reads, in order. The export adds read-only columns after them.</summary>
    public static readonly string[] Columns =
    [
        "Identifiant", "Nom", "Nature", "Accordée par", "Organisation du répertoire", "Portée", "Départements", "Communes",
        "Besoins (codes data·inclusion)", "Situations", "Conditions", "Démarche", "Pièces à fournir", "Délai habituel",
        "Montant minimum (€)", "Montant maximum (€)", "Précision sur le montant", "Source officielle", "Disponible à partir du",
        "Disponible jusqu'au",
    ];

    public static readonly string[] ReadOnlyColumns = ["Statut", "Dernière vérification", "À vérifier"];

    /// <summary>The request field each validation message names, as the spreadsheet's column.</summary>
    private static readonly Dictionary<string, string> ColumnOfField = new()
    {
        ["id"] = "Identifiant", ["name"] = "Nom", ["kind"] = "Nature", ["grantorName"] = "Accordée par",
        ["grantorOrganisationId"] = "Organisation du répertoire", ["scope"] = "Portée", ["departements"] = "Départements",
        ["communes"] = "Communes", ["needs"] = "Besoins", ["situations"] = "Situations", ["eligibility"] = "Conditions",
        ["howToApply"] = "Démarche", ["documentsToBring"] = "Pièces à fournir", ["typicalDelay"] = "Délai habituel",
        ["amountMin"] = "Montant minimum", ["amountMax"] = "Montant maximum", ["amountNote"] = "Précision sur le montant",
        ["sourceUrl"] = "Source officielle", ["availableFrom"] = "Disponible à partir du", ["availableUntil"] = "Disponible jusqu'au",
    };

    public static readonly IReadOnlyDictionary<AidKind, string> KindLabels = new Dictionary<AidKind, string>
    {
        [AidKind.Grant] = "Aide financière", [AidKind.Loan] = "Prêt", [AidKind.Allowance] = "Allocation",
        [AidKind.Compensation] = "Indemnisation", [AidKind.ServicePayment] = "Prise en charge", [AidKind.InKind] = "Aide en nature",
    };

    public static readonly IReadOnlyDictionary<AidScope, string> ScopeLabels = new Dictionary<AidScope, string>
    {
        [AidScope.National] = "Nationale", [AidScope.Local] = "Locale",
    };

    public static readonly IReadOnlyDictionary<AidSituation, string> SituationLabels = new Dictionary<AidSituation, string>
    {
        [AidSituation.IntrafamilyViolence] = "Violences intrafamiliales", [AidSituation.SexualViolence] = "Violences sexuelles",
        [AidSituation.Assault] = "Agression", [AidSituation.PropertyOffence] = "Atteinte aux biens",
        [AidSituation.RoadAccident] = "Accident de la route", [AidSituation.OtherNonPenal] = "Situation non pénale",
    };

    public static byte[] Export(IEnumerable<AidDetails> aids, DateTimeOffset now) => FrenchCsv.Write(
    [
        [.. Columns, .. ReadOnlyColumns],
        .. aids.Select(a => (IReadOnlyList<string>)
        [
            a.Id.ToString(), a.Content.Name, KindLabels[a.Content.Kind], a.Content.Grantor.Name,
            a.Content.Grantor.OrganisationId?.ToString() ?? "", ScopeLabels[a.Content.Scope], FrenchCsv.List(a.Content.Departements),
            FrenchCsv.List(a.Content.Communes), FrenchCsv.List(a.Content.Needs), FrenchCsv.List(a.Content.Situations.Select(s => SituationLabels[s])),
            a.Content.Eligibility, a.Content.HowToApply, a.Content.DocumentsToBring ?? "", a.Content.TypicalDelay ?? "",
            FrenchCsv.Amount(a.Content.Amount.Min), FrenchCsv.Amount(a.Content.Amount.Max), a.Content.Amount.Note ?? "", a.Content.SourceUrl,
            FrenchCsv.Date(a.Content.AvailableFrom), FrenchCsv.Date(a.Content.AvailableUntil),
            a.Status == AidStatus.Published ? "Publiée" : "Proposée", FrenchCsv.Date(a.LastVerifiedAt),
            Aid.IsStale(a.Status, a.LastVerifiedAt, now) ? "oui" : "non",
        ]),
    ]);

    /// <summary>One row read into a request, or the French messages of the cells that could not be read.</summary>
    public static (AidContentRequest Request, List<string> Errors) ReadRow(string[] cells)
    {
        var errors = new List<string>();
        string Cell(int index) => index < cells.Length ? cells[index].Trim() : "";
        string? Optional(int index) => Cell(index) is { Length: > 0 } value ? value : null;

        Guid? id = null;
        if (Optional(0) is { } idText)
        {
            if (Guid.TryParse(idText, out var parsed)) id = parsed;
            else errors.Add($"Identifiant : « {Short(idText)} » n'est pas un identifiant valide (laissez la cellule vide pour une nouvelle aide).");
        }
        var kind = Label(Cell(2), KindLabels, "Nature", errors);
        Guid? organisation = null;
        if (Optional(4) is { } organisationText)
        {
            if (Guid.TryParse(organisationText, out var parsed)) organisation = parsed;
            else errors.Add($"Organisation du répertoire : « {Short(organisationText)} » n'est pas un identifiant valide.");
        }
        var scope = Label(Cell(5), ScopeLabels, "Portée", errors);
        var situations = new List<AidSituation>();
        foreach (var label in FrenchCsv.Items(Cell(9)))
            if (Label(label, SituationLabels, "Situations", errors) is { } situation) situations.Add(situation);
        if (!FrenchCsv.TryAmount(Cell(14), out var min))
            errors.Add($"Montant minimum : « {Short(Cell(14))} » n'est pas un montant (écrivez par exemple 1 500,00).");
        if (!FrenchCsv.TryAmount(Cell(15), out var max))
            errors.Add($"Montant maximum : « {Short(Cell(15))} » n'est pas un montant (écrivez par exemple 1 500,00).");
        if (!FrenchCsv.TryDate(Cell(18), out var from))
            errors.Add($"Disponible à partir du : « {Short(Cell(18))} » n'est pas une date JJ/MM/AAAA.");
        if (!FrenchCsv.TryDate(Cell(19), out var until))
            errors.Add($"Disponible jusqu'au : « {Short(Cell(19))} » n'est pas une date JJ/MM/AAAA.");

        var request = new AidContentRequest(id, Optional(1), kind, organisation, Optional(3), scope, FrenchCsv.Items(Cell(6)),
            FrenchCsv.Items(Cell(7)), FrenchCsv.Items(Cell(8)), situations, Optional(10), Optional(11), Optional(12), Optional(13),
            min, max, Optional(16), Optional(17), from, until);
        return (request, errors);
    }

    public static IEnumerable<string> Describe(IReadOnlyDictionary<string, string[]> fieldErrors) =>
        fieldErrors.SelectMany(e => e.Value.Select(message => $"{ColumnOfField.GetValueOrDefault(e.Key, e.Key)} : {message}"));

    private static T? Label<T>(string cell, IReadOnlyDictionary<T, string> labels, string column, List<string> errors) where T : struct, Enum
    {
        if (cell.Length == 0) return null; // the validation says it is required, with its own message
        foreach (var (value, label) in labels)
            if (string.Equals(label, cell, StringComparison.OrdinalIgnoreCase)) return value;
        errors.Add($"{column} : « {Short(cell)} » n'est pas une valeur connue ({string.Join(", ", labels.Values)}).");
        return null;
    }

    private static string Short(string value) => value.Length <= 40 ? value : value[..40] + "…";

    public static RouteGroupBuilder MapAidsCsv(this RouteGroupBuilder group)
    {
        group.MapGet("/export.csv", HandleExport)
            .RequireAuthorization(Policies.Coordinators)
            .WithName("ExportAids")
            .WithSummary("The published and proposed aids as a French CSV (coordinators).");
        group.MapPost("/import", HandleImport)
            .RequireAuthorization(Policies.Coordinators)
            .WithName("ImportAids")
            .WithSummary("Create or update aids from a French CSV (text/csv): every row is written, or none (coordinators).");
        return group;
    }

    private static async Task<FileContentHttpResult> HandleExport(IQuerySession session, TimeProvider time, CancellationToken ct)
    {
        var aids = await session.Query<AidDetails>()
            .Where(a => a.Status == AidStatus.Published || a.Status == AidStatus.Proposed).ToListAsync(ct);
        var now = time.GetUtcNow();
        var ordered = aids.OrderBy(a => a.Content.Scope).ThenBy(a => a.Content.Name, StringComparer.Create(FrenchCsv.French, true)).ThenBy(a => a.Id);
        return TypedResults.File(Export(ordered, now), "text/csv; charset=utf-8", $"guide-des-aides-{now:yyyy-MM-dd}.csv");
    }

    private static async Task<Results<Ok<AidsImported>, ValidationProblem, ProblemHttpResult>> HandleImport(
        HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        if (http.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) != true)
            return TypedResults.Problem(statusCode: 415, title: Problems.TitleFor(415),
                detail: "Envoyez le fichier CSV tel quel (Content-Type: text/csv), enregistré en UTF-8 avec « ; » comme séparateur.");
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var rows = FrenchCsv.Read(await reader.ReadToEndAsync(ct));

        var errors = new Dictionary<string, string[]>();
        if (rows.Count == 0 || !rows[0].Cells.Take(Columns.Length).Select(c => c.Trim()).SequenceEqual(Columns))
        {
            errors["fichier"] = [$"La première ligne doit nommer les colonnes, dans cet ordre : {string.Join(" ; ", Columns)}. Partez d'un export du guide."];
            return Problems.Invalid(errors);
        }
        if (rows.Count == 1)
        {
            errors["fichier"] = ["Le fichier ne contient aucune aide (seulement la ligne des colonnes)."];
            return Problems.Invalid(errors);
        }

        var user = CurrentUser.From(http.User);
        var now = time.GetUtcNow();
        var organisations = (await session.Query<OrganisationDetails>().Select(o => new { o.Id, o.Name }).ToListAsync(ct))
            .ToDictionary(o => o.Id, o => o.Name);
        var ids = new HashSet<Guid>();
        var writes = new List<(Guid Id, AidDetails? Existing, AidContent Content)>();
        foreach (var (line, cells) in rows.Skip(1))
        {
            var (request, rowErrors) = ReadRow(cells);
            var validation = new AidValidation();
            var content = validation.Content(request, request.GrantorOrganisationId is { } o ? organisations.GetValueOrDefault(o) : null);
            rowErrors.AddRange(Describe(validation.Errors));
            AidDetails? existing = null;
            if (request.Id is { } id)
            {
                if (!ids.Add(id))
                    rowErrors.Add("Identifiant : cette aide figure déjà plus haut dans le fichier.");
                existing = await session.LoadAsync<AidDetails>(id, ct);
                if (existing?.Status is AidStatus.Withdrawn or AidStatus.Rejected)
                    rowErrors.Add("Identifiant : cette aide a été retirée ou refusée ; elle ne peut plus être modifiée par import.");
            }
            if (rowErrors.Count > 0)
                errors[$"ligne {line}"] = [.. rowErrors];
            else
                writes.Add((request.Id ?? Guid.CreateVersion7(), existing, content!));
        }
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        int created = 0, updated = 0, unchanged = 0;
        foreach (var (id, existing, content) in writes)
        {
            if (existing is null)
            {
                session.Events.StartStream<Aid>(id, [new AidProposed(id, content, user.UserId, now), new AidPublished(id, user.UserId, now)]);
                created++;
            }
            else if (existing.Content.SameAs(content))
                unchanged++;
            else
            {
                // The spreadsheet is the coordinators' word as of now: it replaces what it names, whatever the version read.
                session.Events.Append(id, new AidEdited(id, content, user.UserId, now));
                updated++;
            }
        }
        // One transaction for every row.
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new AidsImported(created, updated, unchanged));
    }
}
