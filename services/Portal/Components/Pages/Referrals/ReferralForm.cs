using Microsoft.AspNetCore.Http;
using Coordination.Portal.Components.Shared;

namespace Coordination.Portal.Components.Pages.Referrals;

/// <summary>The hand-off form's values, as typed: redisplayed unchanged when the API refuses them.</summary>
public sealed class ReferralForm
{
    /// <summary>Chosen once when the form is first shown: sending twice (double click, retry) cannot create a twin.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string? Departement { get; set; }
    public List<string> Needs { get; set; } = [];
    public string? Situation { get; set; }
    public string? Urgency { get; set; }
    public string? FirstName { get; set; }
    public string? ContactKind { get; set; }
    public string? ContactValue { get; set; }
    public string? AgeBand { get; set; }
    public bool? MinorsInvolved { get; set; }
    public string? Note { get; set; }
    /// <summary>oral, written, or override (sending without consent, with a justification).</summary>
    public string? Consent { get; set; }
    public bool ShareIdentity { get; set; } = true;
    public bool ShareSituation { get; set; } = true;
    public bool ShareNeeds { get; set; } = true;
    /// <summary>The consent also covers another receiver should this one not help (a re-send then asks nothing again).</summary>
    public bool AnyReceiver { get; set; }
    public string? OverrideJustification { get; set; }
    public Guid? ReceiverOrganisationId { get; set; }

    public static ReferralForm Read(HttpContext http) => new()
    {
        Id = Guid.TryParse(FormData.Value(http, "id"), out var id) ? id : Guid.CreateVersion7(),
        Departement = FormData.Value(http, "departement"),
        Needs = [.. FormData.Values(http, "needs").Distinct()],
        Situation = FormData.Value(http, "situation"),
        Urgency = FormData.Value(http, "urgency"),
        FirstName = FormData.Value(http, "firstName"),
        ContactKind = FormData.Value(http, "contactKind"),
        ContactValue = FormData.Value(http, "contactValue"),
        AgeBand = FormData.Value(http, "ageBand"),
        MinorsInvolved = FormData.Bool(http, "minorsInvolved"),
        Note = FormData.Value(http, "note"),
        Consent = FormData.Value(http, "consent"),
        ShareIdentity = FormData.Bool(http, "shareIdentity") ?? false,
        ShareSituation = FormData.Bool(http, "shareSituation") ?? false,
        ShareNeeds = FormData.Bool(http, "shareNeeds") ?? false,
        AnyReceiver = FormData.Bool(http, "anyReceiver") ?? false,
        OverrideJustification = FormData.Value(http, "overrideJustification"),
        ReceiverOrganisationId = Guid.TryParse(FormData.Value(http, "receiverOrganisationId"), out var receiver) ? receiver : null,
    };

    /// <summary>The body of <c>POST /api/referrals</c>; empty choices are sent as null so the API names the missing field.</summary>
    public object ToRequest() => new
    {
        id = Id,
        receiverOrganisationId = ReceiverOrganisationId,
        departement = Departement,
        person = new
        {
            firstName = FirstName,
            contact = ContactKind is null ? null : new { kind = ContactKind, value = ContactValue },
            ageBand = AgeBand,
            minorsInvolved = MinorsInvolved,
        },
        situation = Situation,
        needs = Needs,
        urgency = Urgency,
        note = Note,
        consent = Consent is "oral" or "written"
            ? new { method = Consent, scope = new { identity = ShareIdentity, situation = ShareSituation, needs = ShareNeeds }, anyReceiver = AnyReceiver }
            : null,
        consentOverride = Consent == "override" ? new { justification = OverrideJustification } : null,
        send = true,
    };
}

/// <summary>A receiver the Directory proposes: it covers the département, accepts referrals, and serves some of the needs.</summary>
public sealed record ProposedReceiver(Api.Organisation Organisation, IReadOnlyList<string> MatchingNeeds);
