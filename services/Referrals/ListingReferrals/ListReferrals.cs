using Coordination.Referrals.GettingDetails;
using Coordination.ServiceDefaults.Http;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.Referrals.ListingReferrals;

public sealed record ReferralListItem(
    Guid Id, ReferralStatus Status, Urgency Urgency, string Departement, string PseudonymousReference, string? FirstName,
    string[]? Needs, Guid SenderOrganisationId, Guid ReceiverOrganisationId, DateTimeOffset? SentAt, DateTimeOffset? AcknowledgeBy,
    bool Overdue, bool ConsentOverridden, int UnreadMessages, DateTimeOffset LastChangedAt);

public sealed record ReferralsPage(IReadOnlyList<ReferralListItem> Items, int Page, int PageSize, long Total);

/// <summary>The receiving organisation's inbox and the sending organisation's "sent" list, by deadline.</summary>
public static class ListReferralsEndpoints
{
    private static readonly ReferralStatus[] Open =
        [ReferralStatus.Sent, ReferralStatus.Acknowledged, ReferralStatus.OnHold, ReferralStatus.Accepted, ReferralStatus.InProgress];

    public static RouteGroupBuilder MapListReferrals(this RouteGroupBuilder group)
    {
        group.MapGet("/inbox", (HttpContext http, IQuerySession session, CancellationToken ct, string? status, string? urgency,
                bool? overdue, DateTimeOffset? from, DateTimeOffset? to, int page = 1, int pageSize = 20) =>
                List(Viewer.Receiver, http, session, status, urgency, overdue, from, to, page, pageSize, ct))
            .WithName("GetReferralInbox")
            .WithSummary("Referrals received by my organisation (open ones by default), earliest deadline first.");
        group.MapGet("/sent", (HttpContext http, IQuerySession session, CancellationToken ct, string? status, string? urgency,
                bool? overdue, DateTimeOffset? from, DateTimeOffset? to, int page = 1, int pageSize = 20) =>
                List(Viewer.Sender, http, session, status, urgency, overdue, from, to, page, pageSize, ct))
            .WithName("GetSentReferrals")
            .WithSummary("Referrals my organisation sent (open ones by default), earliest deadline first.");
        return group;
    }

    private static async Task<Results<Ok<ReferralsPage>, ValidationProblem>> List(
        Viewer side, HttpContext http, IQuerySession session, string? status, string? urgency, bool? overdue,
        DateTimeOffset? from, DateTimeOffset? to, int page, int pageSize, CancellationToken ct)
    {
        var organisation = ReferralActor.From(http.User).OrganisationId;
        var errors = new Drafting.ReferralValidation();
        var statuses = ParseList<ReferralStatus>(status, "status", errors) ?? Open;
        var urgencies = ParseList<Urgency>(urgency, "urgency", errors);
        if (page < 1) errors.Add("page", "La page commence à 1.");
        if (pageSize is < 1 or > 100) errors.Add("pageSize", "La taille de page va de 1 à 100.");
        if (!errors.IsValid) return Problems.Invalid(errors.Errors);

        IQueryable<ReferralDetails> query = session.Query<ReferralDetails>();
        query = side == Viewer.Receiver
            ? query.Where(r => r.ReceiverOrganisationId == organisation && r.Status != ReferralStatus.Draft)
            : query.Where(r => r.SenderOrganisationId == organisation);
        query = query.Where(r => statuses.Contains(r.Status) && r.ArchivedAt == null);
        if (urgencies is not null) query = query.Where(r => urgencies.Contains(r.Urgency));
        if (overdue is not null) query = query.Where(r => r.Overdue == overdue);
        if (from is not null) query = query.Where(r => r.CreatedAt >= from);
        if (to is not null) query = query.Where(r => r.CreatedAt < to);

        var results = await query.OrderBy(r => r.AcknowledgeBy).ThenBy(r => r.CreatedAt).ToPagedListAsync(page, pageSize, ct);
        var keys = await Privacy.KeyRing.For(session, results, ct);
        var items = results.Select(r =>
        {
            var view = ReferralView.For(r, side, keys);
            return new ReferralListItem(r.Id, r.Status, r.Urgency, r.Departement, view.Person.PseudonymousReference, view.Person.FirstName,
                view.Needs, r.SenderOrganisationId, r.ReceiverOrganisationId, r.SentAt, r.AcknowledgeBy, r.Overdue, r.ConsentOverridden,
                view.UnreadMessages, r.LastChangedAt);
        }).ToList();
        return TypedResults.Ok(new ReferralsPage(items, page, pageSize, results.TotalItemCount));
    }

    private static T[]? ParseList<T>(string? csv, string field, Drafting.ReferralValidation errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(csv)) return null;
        var values = new List<T>();
        foreach (var part in csv.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Enum.TryParse<T>(part, ignoreCase: true, out var value) && Enum.IsDefined(value) && !part.Any(char.IsAsciiDigit))
                values.Add(value);
            else
                errors.Add(field, $"Valeur inconnue : « {(part.Length > 30 ? part[..30] : part)} ».");
        }
        return [.. values];
    }
}
