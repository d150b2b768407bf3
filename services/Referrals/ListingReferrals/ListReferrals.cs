using System.Linq.Expressions;
using System.Text;
using System.Text.Json.Serialization;
using Coordination.Referrals.Drafting;
using Coordination.Referrals.GettingDetails;
using Marten.Linq.MatchesSql;
using Microsoft.Extensions.Options;

namespace Coordination.Referrals.ListingReferrals;

public sealed record ReferralListItem(
    Guid Id, [property: JsonConverter(typeof(ReferralStatusCode))] ReferralStatus Status, Urgency Urgency, string Departement,
    string PseudonymousReference, string? FirstName, string[]? Needs, Guid SenderOrganisationId, Guid ReceiverOrganisationId,
    DateTimeOffset? SentAt, DateTimeOffset? AcknowledgeBy, bool Overdue, bool ConsentOverridden, int UnreadMessages,
    DateTimeOffset LastChangedAt, Viewer Viewer, IReadOnlyList<string> AllowedActions, DateTimeOffset? AcknowledgedAt);

/// <summary>How many of the list's referrals (with the other filters) are in each status; <c>Ended</c> ones are closed.</summary>
public sealed record StatusTotal([property: JsonConverter(typeof(ReferralStatusCode))] ReferralStatus Status, bool Ended, long Total);

/// <param name="Total">Every referral matching the filters, over all pages.</param>
/// <param name="NextCursor">Give it as <c>cursor</c> for the following page; null on the last page.</param>
public sealed record ReferralsPage(
    IReadOnlyList<ReferralListItem> Items, int PageSize, long Total, string? NextCursor, IReadOnlyList<StatusTotal> StatusTotals);

public enum ListSort { Deadline, LastChange }

/// <summary>
/// The receiving organisation's inbox and the sending organisation's "sent" list, in pages of at most 100 followed by
/// a cursor (keyset paging: no page is skipped or repeated when referrals arrive meanwhile), by deadline or by last
/// change, with a total per status so that nothing falls silently out of a list. Each list read is audited once
/// (who, which referrals, when), not once per row.
/// </summary>
public static class ListReferralsEndpoints
{
    private static readonly ReferralStatus[] Open =
        [ReferralStatus.Sent, ReferralStatus.Acknowledged, ReferralStatus.OnHold, ReferralStatus.Accepted, ReferralStatus.InProgress];

    public sealed record ListQuery(
        string? Status, string? Urgency, bool? Overdue, DateTimeOffset? From, DateTimeOffset? To, string? Reference, string? Sort,
        string? Cursor, int? PageSize);

    public static RouteGroupBuilder MapListReferrals(this RouteGroupBuilder group)
    {
        group.MapGet("/inbox", (HttpContext http, IDocumentSession session, IOptions<ReferralOptions> options, TimeProvider time,
                [AsParameters] ListQuery query, CancellationToken ct) => List(Viewer.Receiver, http, session, options.Value, time, query, ct))
            .WithName("GetReferralInbox")
            .WithSummary("Referrals received by my organisation (open ones by default), by deadline or last change, with a cursor.");
        group.MapGet("/sent", (HttpContext http, IDocumentSession session, IOptions<ReferralOptions> options, TimeProvider time,
                [AsParameters] ListQuery query, CancellationToken ct) => List(Viewer.Collector, http, session, options.Value, time, query, ct))
            .WithName("GetSentReferrals")
            .WithSummary("Referrals my organisation sent (open ones by default), by deadline or last change, with a cursor.");
        return group;
    }

    private static async Task<Results<Ok<ReferralsPage>, ValidationProblem>> List(
        Viewer side, HttpContext http, IDocumentSession session, ReferralOptions options, TimeProvider time, ListQuery query,
        CancellationToken ct)
    {
        var actor = ReferralActor.From(http.User);
        var organisation = actor.OrganisationId;
        var errors = new ReferralValidation();
        var statuses = ParseStatuses(query.Status, errors) ?? Open;
        var urgencies = ParseList<Urgency>(query.Urgency, "urgency", errors);
        var sort = query.Sort switch
        {
            null or "" or "deadline" => ListSort.Deadline,
            "lastChange" => ListSort.LastChange,
            _ => (ListSort?)null,
        };
        if (sort is null) errors.Add("sort", "Tri possible : deadline (échéance la plus proche) ou lastChange (dernier changement).");
        var pageSize = query.PageSize ?? 20;
        if (pageSize is < 1 or > 100) errors.Add("pageSize", "La taille de page va de 1 à 100 ; la suite se lit avec le curseur.");
        var after = query.Cursor is null ? null : ListCursor.Parse(query.Cursor);
        if (query.Cursor is not null && after is null) errors.Add("cursor", "Curseur invalide : reprenez la liste depuis le début.");
        if (!errors.IsValid) return Problems.Invalid(errors.Errors);

        // The list's filters but the status: the per-status totals count with them.
        Expression<Func<ReferralDetails, bool>> mine = side == Viewer.Receiver
            ? r => r.ReceiverOrganisationId == organisation && r.Status != ReferralStatus.Draft
            : r => r.SenderOrganisationId == organisation;
        var filters = new List<Expression<Func<ReferralDetails, bool>>> { mine, r => r.ArchivedAt == null };
        if (urgencies is not null) filters.Add(r => urgencies.Contains(r.Urgency));
        if (query.Overdue is { } overdue) filters.Add(r => r.Overdue == overdue);
        if (query.From is { } from) filters.Add(r => r.CreatedAt >= from);
        if (query.To is { } to) filters.Add(r => r.CreatedAt < to);
        if (!string.IsNullOrWhiteSpace(query.Reference))
        {
            var digest = ReferenceSearch.Digest(query.Reference, options.ReferenceSearchKey);
            filters.Add(r => r.ReferenceDigest == digest);
        }

        var listed = Enum.GetValues<ReferralStatus>().Where(s => side != Viewer.Receiver || s != ReferralStatus.Draft).ToArray();
        var batch = session.CreateBatchQuery();
        var totals = listed.ToDictionary(status => status, status =>
        {
            var counted = batch.Query<ReferralDetails>().Where(r => r.Status == status);
            foreach (var filter in filters) counted = counted.Where(filter);
            return counted.Count();
        });
        await batch.Execute(ct);

        IQueryable<ReferralDetails> page = session.Query<ReferralDetails>().Where(r => statuses.Contains(r.Status));
        foreach (var filter in filters) page = page.Where(filter);
        page = sort == ListSort.Deadline
            ? (after is null ? page : page.Where(r => r.MatchesSql("(d.sort_deadline, d.id) > (?, ?)", after.At, after.Id)))
                .OrderBy(r => r.SortDeadline).ThenBy(r => r.Id)
            : (after is null ? page : page.Where(r => r.MatchesSql("(d.last_changed_at, d.id) < (?, ?)", after.At, after.Id)))
                .OrderByDescending(r => r.LastChangedAt).ThenByDescending(r => r.Id);
        // One more than asked: whether a next page exists, without a second query.
        var rows = await page.Take(pageSize + 1).ToListAsync(ct);
        var shown = rows.Take(pageSize).ToList();
        var next = rows.Count > pageSize
            ? new ListCursor(sort == ListSort.Deadline ? shown[^1].SortDeadline ?? shown[^1].CreatedAt : shown[^1].LastChangedAt, shown[^1].Id).Format()
            : null;

        var keys = await Privacy.KeyRing.For(session, shown, ct);
        var user = CurrentUser.From(http.User);
        var now = time.GetUtcNow();
        var items = shown.Select(r =>
        {
            var viewer = ReferralView.RelationOf(r, user) ?? side;
            var view = ReferralView.For(r, viewer, keys);
            return new ReferralListItem(r.Id, r.Status, r.Urgency, r.Departement, view.Person.PseudonymousReference, view.Person.FirstName,
                view.Needs, r.SenderOrganisationId, r.ReceiverOrganisationId, r.SentAt, r.AcknowledgeBy, r.Overdue, r.ConsentOverridden,
                view.UnreadMessages, r.LastChangedAt, viewer,
                ReferralAction.AllowedFor(Apis.ReferralsApi.Actions, new ActionProbe(r.AsState(), r, user, actor, now, null)), r.AcknowledgedAt);
        }).ToList();

        if (items.Count > 0)
        {
            Auditing.ReferralAudit.RecordListRead(session, http, side == Viewer.Receiver ? "inbox" : "sent", [.. items.Select(i => i.Id)],
                time.GetUtcNow());
            await session.SaveChangesAsync(ct);
        }
        var statusTotals = new List<StatusTotal>();
        foreach (var (status, count) in totals)
            statusTotals.Add(new StatusTotal(status, Referral.Terminal.Contains(status), await count));
        var total = statusTotals.Where(t => statuses.Contains(t.Status)).Sum(t => t.Total);
        return TypedResults.Ok(new ReferralsPage(items, pageSize, total, next, statusTotals));
    }

    private static ReferralStatus[]? ParseStatuses(string? csv, ReferralValidation errors)
    {
        if (string.IsNullOrWhiteSpace(csv)) return null;
        var values = new List<ReferralStatus>();
        foreach (var part in csv.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (ReferralStatusCode.TryParse(part, out var status)) values.Add(status);
            else errors.Add("status", $"Statut inconnu : « {(part.Length > 30 ? part[..30] : part)} ».");
        }
        return [.. values];
    }

    private static T[]? ParseList<T>(string? csv, string field, ReferralValidation errors) where T : struct, Enum
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

/// <summary>Where the previous page stopped: the sort key and the id of its last row, opaque to clients.</summary>
public sealed record ListCursor(DateTimeOffset At, Guid Id)
{
    public string Format() => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{At.UtcTicks}:{Id:N}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static ListCursor? Parse(string text)
    {
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':');
            return parts.Length == 2 && long.TryParse(parts[0], out var ticks) && ticks is > 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
                   && Guid.TryParseExact(parts[1], "N", out var id)
                ? new ListCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
