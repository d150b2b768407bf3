using System.Globalization;
using ClosedXML.Excel;
using Coordination.Dashboard.Indicators;

namespace Coordination.Dashboard.AnnualReport;

/// <summary>
/// The yearly report as an XLSX workbook: a cover sheet saying what the report covers and what each figure means, then
/// one sheet per indicator family, each table under its French title. Counts, rates, hours and euros are numbers with
/// French-looking formats (Excel shows them with the reader's separators); hidden counts stay as the API writes them
/// ("&lt; 11", "secret") and a figure not shown is "—".
/// </summary>
public static class AnnualReportWorkbook
{
    public const string NotShown = "—";
    private const string CountFormat = "#,##0", ShareFormat = "0.0%", DecimalFormat = "#,##0.0", EurosFormat = "#,##0.00 \"€\"";

    private static readonly Dictionary<string, string> Headers = new()
    {
        ["count"] = "Nombre", ["rate"] = "Part", ["sent"] = "Envoyées", ["received"] = "Reçues", ["given"] = "Donnés", ["value"] = "Valeur",
        ["total"] = "Total", ["overdue-now"] = "En retard à ce jour", ["deadline-hours"] = "Délai attendu (h)",
        ["median-hours-to-acknowledge"] = "Accusé de réception : médiane (h)", ["p90-hours-to-acknowledge"] = "Accusé de réception : 9 sur 10 en moins de (h)",
        ["share-acknowledged-in-time"] = "Dans les délais", ["median-hours-to-first-contact"] = "Premier contact : médiane (h)",
        ["p90-hours-to-first-contact"] = "Premier contact : 9 sur 10 en moins de (h)", ["requested"] = "Demandé", ["granted"] = "Accordé",
        ["pending-lines"] = "Demandes en attente", ["refused-lines"] = "Demandes refusées", ["open"] = "Ouvertes", ["answered"] = "Répondues",
        ["median-open-days"] = "Ancienneté médiane (jours)", ["median-response-hours"] = "Réponse : médiane (h)", ["type"] = "Type", ["stage"] = "Étape",
        ["departement"] = "Département", ["days-in-stage"] = "Jours dans l'étape", ["overdue-milestones"] = "Jalons en retard",
        ["held-sessions"] = "Sessions tenues", ["interventions"] = "Interventions communes", ["intervention-attendance"] = "Participants aux interventions",
    };

    public static byte[] Write(AnnualReports.Report report)
    {
        using var workbook = new XLWorkbook();
        Cover(workbook.Worksheets.Add("Couverture"), report);
        foreach (var family in report.Families) Family(workbook.Worksheets.Add(family.Sheet), family);
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    private static void Cover(IXLWorksheet sheet, AnnualReports.Report report)
    {
        sheet.Cell(1, 1).SetValue($"Bilan annuel de la convention France Victimes – ANISCG : {report.Year}").Style.Font.SetBold().Font.SetFontSize(16);
        sheet.Cell(3, 1).SetValue("Périmètre");
        sheet.Cell(3, 2).SetValue(report.Scope == "national" ? "National" : report.Organisation is { } id ? $"Organisation {id}" : report.Scope);
        sheet.Cell(4, 1).SetValue("Période");
        sheet.Cell(4, 2).SetValue(new DateTime(report.Year, 1, 1)).Style.NumberFormat.SetFormat("dd/mm/yyyy");
        sheet.Cell(4, 3).SetValue(new DateTime(report.Year, 12, 31)).Style.NumberFormat.SetFormat("dd/mm/yyyy");
        sheet.Cell(5, 1).SetValue("Établi le");
        sheet.Cell(5, 2).SetValue(TimeZoneInfo.ConvertTime(report.GeneratedAt, ParisTime.Zone).DateTime).Style.NumberFormat.SetFormat("dd/mm/yyyy hh:mm");
        sheet.Cell(6, 1).SetValue("Petits effectifs");
        sheet.Cell(6, 2).SetValue(report.Suppressed
            ? "Masqués : aucun effectif de 1 à 10 personnes n'est publié (« < 11 »), d'autres cases sont masquées (« secret ») pour qu'on ne puisse pas les recalculer, aucune part, médiane ni moyenne sur moins de 11 personnes (« — »)."
            : "Non masqués : ce sont les chiffres de votre organisation.");

        sheet.Cell(8, 1).SetValue("Feuille").Style.Font.SetBold();
        sheet.Cell(8, 2).SetValue("Ce que disent ses chiffres").Style.Font.SetBold();
        var row = 9;
        foreach (var family in report.Families)
        {
            sheet.Cell(row, 1).SetValue(family.Sheet);
            sheet.Cell(row++, 2).SetValue(family.Meaning);
        }
        row++;
        foreach (var (term, meaning) in new[]
        {
            ("Orientation", "Une personne orientée d'une organisation vers une autre, comptée à la date de son envoi (heure de Paris)."),
            ("Délais", "En heures depuis l'envoi : médiane (la moitié en moins de) et 9 sur 10 en moins de ; « dans les délais » : accusé de réception avant l'échéance du niveau d'urgence."),
            ("Part", "En pourcentage des orientations du périmètre."),
            ("« < 11 », « secret », « — »", "Effectif masqué (1 à 10 personnes), case masquée pour protéger une autre, chiffre non publié."),
        })
        {
            sheet.Cell(row, 1).SetValue(term);
            sheet.Cell(row++, 2).SetValue(meaning);
        }
        sheet.Column(1).Width = 28;
        sheet.Column(2).Width = 110;
        sheet.Column(2).Style.Alignment.SetWrapText();
    }

    private static void Family(IXLWorksheet sheet, AnnualReports.Family family)
    {
        sheet.Cell(1, 1).SetValue(family.Sheet).Style.Font.SetBold().Font.SetFontSize(14);
        sheet.Cell(2, 1).SetValue(family.Meaning);
        var row = 4;
        foreach (var table in family.View.Tables)
        {
            sheet.Cell(row++, 1).SetValue(table.Title).Style.Font.SetBold();
            sheet.Cell(row, 1).SetValue("Libellé").Style.Font.SetBold();
            for (var c = 0; c < table.Columns.Count; c++)
                sheet.Cell(row, c + 2).SetValue(Headers.GetValueOrDefault(table.Columns[c], table.Columns[c])).Style.Font.SetBold();
            row++;
            foreach (var line in table.Rows)
            {
                sheet.Cell(row, 1).SetValue(line.Label);
                for (var c = 0; c < table.Columns.Count; c++)
                    Value(sheet.Cell(row, c + 2), table.Name, table.Columns[c], line.Key, line.Values.GetValueOrDefault(table.Columns[c]));
                row++;
            }
            if (table.Rows.Count == 0) sheet.Cell(row++, 1).SetValue("Aucune donnée sur l'année.");
            row++;
        }
        sheet.Column(1).Width = 48;
        for (var c = 2; c <= 10; c++) sheet.Column(c).Width = 18;
    }

    /// <summary>A value of the API as a number with its format, or as the API's text when it is not a number.</summary>
    private static void Value(IXLCell cell, string table, string column, string rowKey, string? value)
    {
        if (value is null) { cell.SetValue(NotShown); return; }
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) { cell.SetValue(value); return; }
        cell.SetValue(number);
        cell.Style.NumberFormat.SetFormat(
            column is "rate" or "share-acknowledged-in-time" || (column == "value" && rowKey == "fill-rate") ? ShareFormat
            : table == "funding" && column is "requested" or "granted" ? EurosFormat
            : value.Contains('.') ? DecimalFormat
            : CountFormat);
    }
}
