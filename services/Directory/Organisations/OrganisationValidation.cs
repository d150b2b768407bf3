using System.Net.Mail;
using Coordination.ReferenceData;

namespace Coordination.Directory.Organisations;

/// <summary>Field checks shared by the organisation commands. Messages are French: a person reads them.</summary>
public sealed class OrganisationValidation : Coordination.ServiceDefaults.Http.FieldValidation
{
    public string Name(string? name, string field = "name")
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) Add(field, "Le nom est obligatoire.");
        else if (trimmed.Length > 200) Add(field, "Le nom ne doit pas dépasser 200 caractères.");
        return trimmed;
    }

    public string[] Departements(IReadOnlyList<string>? codes, string field = "departements")
    {
        if (codes is null || codes.Count == 0)
        {
            Add(field, "Indiquez au moins un département couvert (code INSEE, par exemple \"75\" ou \"2A\").");
            return [];
        }
        if (codes.Count > 120) Add(field, "Trop de départements.");
        foreach (var code in codes.Where(c => !Vocabularies.Departements.ContainsKey(c ?? "")).Distinct())
            Add(field, $"« {Truncate(code)} » n'est pas un code de département INSEE.");
        return [.. codes.Distinct().Order(StringComparer.Ordinal)];
    }

    public string[] Needs(IReadOnlyList<string>? codes, string field = "needs")
    {
        if (codes is null || codes.Count == 0)
        {
            Add(field, "Indiquez au moins un besoin pris en charge (code data·inclusion).");
            return [];
        }
        if (codes.Count > 100) Add(field, "Trop de besoins.");
        foreach (var code in codes.Where(c => !Vocabularies.Needs.ContainsKey(c ?? "")).Distinct())
            Add(field, $"« {Truncate(code)} » n'est pas un besoin connu du référentiel data·inclusion.");
        return [.. codes.Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>Kind-specific details: an ISCG post says where it is and who employs it; a partner says its network.</summary>
    public (IscgPostDetails? IscgPost, string? PartnerNetwork) KindDetails(
        OrganisationKind kind, IscgPostDetailsRequest? iscgPost, string? partnerNetwork)
    {
        IscgPostDetails? post = null;
        if (kind == OrganisationKind.IscgPost)
        {
            if (iscgPost?.Setting is null) Add("iscgPost.setting", "Précisez si le poste est en commissariat, en gendarmerie ou mixte.");
            if (iscgPost?.Employer is null) Add("iscgPost.employer", "Précisez l'employeur de l'ISCG.");
            var employerName = iscgPost?.EmployerName?.Trim();
            if (employerName?.Length > 200) Add("iscgPost.employerName", "Le nom de l'employeur ne doit pas dépasser 200 caractères.");
            if (iscgPost?.Setting is { } setting && iscgPost.Employer is { } employer)
                post = new IscgPostDetails(setting, employer, string.IsNullOrEmpty(employerName) ? null : employerName);
        }
        else if (iscgPost is not null)
            Add("iscgPost", "Seul un poste d'ISCG a ces informations.");

        string? network = null;
        if (kind == OrganisationKind.Partner)
        {
            if (string.IsNullOrWhiteSpace(partnerNetwork))
                Add("partnerNetwork", "Précisez le réseau du partenaire (par exemple \"ccas-cias\", \"chrs\", \"caf\").");
            else if (!Vocabularies.PartnerNetworks.ContainsKey(partnerNetwork))
                Add("partnerNetwork", $"« {Truncate(partnerNetwork)} » n'est pas un réseau connu du référentiel data·inclusion.");
            else network = partnerNetwork;
        }
        else if (partnerNetwork is not null)
            Add("partnerNetwork", "Seul un partenaire appartient à un réseau.");
        return (post, network);
    }

    public OrganisationContact Contact(ContactRequest? contact)
    {
        if (contact is null) return new OrganisationContact(null, null, null, null, null);
        var phone = Optional(contact.Phone, "contact.phone", 30);
        if (phone is not null && !phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '.' or '-' or '(' or ')'))
            Add("contact.phone", "Le téléphone ne peut contenir que des chiffres, espaces et + . - ( ).");
        var email = Optional(contact.Email, "contact.email", 200);
        if (email is not null && (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email))
            Add("contact.email", "L'adresse électronique n'est pas valide.");
        var postalCode = Optional(contact.PostalCode, "contact.postalCode", 5);
        if (postalCode is not null && (postalCode.Length != 5 || !postalCode.All(char.IsAsciiDigit)))
            Add("contact.postalCode", "Le code postal compte 5 chiffres.");
        return new OrganisationContact(phone, email, Optional(contact.Address, "contact.address", 300), postalCode,
            Optional(contact.City, "contact.city", 100));
    }

    public string? Optional(string? value, string field, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return null;
        if (trimmed.Length > maxLength) Add(field, $"Ce champ ne doit pas dépasser {maxLength} caractères.");
        return trimmed;
    }

    private static string Truncate(string? value) => value is null ? "null" : value.Length <= 40 ? value : value[..40] + "…";
}

public sealed record IscgPostDetailsRequest(IscgPostSetting? Setting, IscgEmployer? Employer, string? EmployerName);

public sealed record ContactRequest(string? Phone, string? Email, string? Address, string? PostalCode, string? City);
