using System.Security.Cryptography;
using System.Text;
using Coordination.Referrals.GettingDetails;

namespace Coordination.Referrals.Auditing;

/// <summary>Someone read a person's data. Who, for which organisation, what, when, from where — never the data itself.</summary>
public sealed record ReferralDataRead(
    Guid ReferralId, string UserId, string Role, Guid? OrganisationId, string What, string? FromAddress, string? CorrelationId, DateTimeOffset At);

/// <summary>Someone listed referrals (inbox, sent): one event per list read, naming every referral shown.</summary>
public sealed record ReferralListRead(
    string UserId, string Role, Guid? OrganisationId, string List, Guid[] ReferralIds, string? FromAddress, string? CorrelationId,
    DateTimeOffset At);

public sealed record ReferralAuditStarted(Guid ReferralId, DateTimeOffset At);

/// <summary>Someone with the archive habilitation read an archived case, for this reason (sealed with the person's key).</summary>
public sealed record ArchivedReferralRead(
    Guid ReferralId, string UserId, string Role, Guid? OrganisationId, string Reason, string? FromAddress, string? CorrelationId, DateTimeOffset At);

public sealed record AuditEntry(
    DateTimeOffset At, string Action, string? UserId, Guid? OrganisationId, string? FromAddress, string? CorrelationId, string? Detail = null);

/// <summary>
/// Every read of a referral is appended to the referral's audit stream (append-only, like everything in the event
/// store); every write is already an event of the referral's own stream, with who and when. Admins read both merged.
/// </summary>
public static class ReferralAudit
{
    /// <summary>The audit stream of a referral: a stable id derived from the referral's.</summary>
    public static Guid StreamOf(Guid referralId) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes("referral-audit:" + referralId.ToString("N"))));

    /// <summary>Opened with the referral: later reads then only append to an existing stream (serialised by Marten).</summary>
    public static void StartFor(IDocumentSession session, Guid referralId, DateTimeOffset at) =>
        session.Events.StartStream(StreamOf(referralId), new ReferralAuditStarted(referralId, at));

    public static void RecordRead(IDocumentSession session, HttpContext http, Guid referralId, string what, DateTimeOffset at)
    {
        var user = CurrentUser.From(http.User);
        session.Events.Append(StreamOf(referralId), new ReferralDataRead(referralId, user.UserId, user.Role, user.OrganisationId, what,
            http.Connection.RemoteIpAddress?.ToString(), CorrelationIds.Current(http), at));
    }

    /// <summary>A list read, audited once (its own one-event stream) rather than once per referral shown.</summary>
    public static void RecordListRead(IDocumentSession session, HttpContext http, string list, Guid[] referralIds, DateTimeOffset at)
    {
        var user = CurrentUser.From(http.User);
        session.Events.StartStream(Guid.CreateVersion7(), new ReferralListRead(user.UserId, user.Role, user.OrganisationId, list, referralIds,
            http.Connection.RemoteIpAddress?.ToString(), CorrelationIds.Current(http), at));
    }

    public static RouteGroupBuilder MapReferralAudit(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/audit", async Task<Results<Ok<List<AuditEntry>>, ProblemHttpResult>> (
                Guid id, HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var referral = await session.LoadAsync<ReferralDetails>(id, ct);
                var user = CurrentUser.From(http.User);
                var relation = referral is null ? null : ReferralView.RelationOf(referral, user);
                if (relation is null)
                    return Problems.NotFound();
                // Admins for support; otherwise only the manager of one of the two organisations, for its own cases.
                if (relation != Viewer.Support && !user.IsOrganisationManager)
                    return Problems.Forbidden("Seul le responsable de votre organisation peut consulter ce journal d'accès.");
                var writes = (await session.Events.FetchStreamAsync(id, token: ct))
                    .Select(e => e.Data is PersonalDataErased erased
                        ? new AuditEntry(e.Timestamp, "write:" + e.EventTypeName, erased.ByUserId, erased.ByOrganisationId, null, e.CorrelationId,
                            $"{Coordination.ServiceDefaults.Messaging.ContractCodes.Of(erased.Ground)} : {erased.Justification}")
                        : new AuditEntry(e.Timestamp, "write:" + e.EventTypeName, e.UserName, (e.Data.GetType().GetProperty("By")?.GetValue(e.Data) as Party)?.OrganisationId,
                            null, e.CorrelationId));
                var keys = await Privacy.KeyRing.For(session, [referral!], ct);
                var audit = (await session.Events.FetchStreamAsync(StreamOf(id), token: ct)).Select(e => e.Data).ToList();
                var listReads = await session.Events.QueryRawEventDataOnly<ReferralListRead>()
                    .Where(read => read.ReferralIds.Contains(id)).ToListAsync(ct);
                var reads = audit.OfType<ReferralDataRead>()
                    .Select(r => new AuditEntry(r.At, "read:" + r.What, r.UserId, r.OrganisationId, r.FromAddress, r.CorrelationId))
                    .Concat(audit.OfType<ArchivedReferralRead>()
                        .Select(r => new AuditEntry(r.At, "read:archive", r.UserId, r.OrganisationId, r.FromAddress, r.CorrelationId, keys.Reveal(r.Reason))))
                    .Concat(listReads.Select(r => new AuditEntry(r.At, "list:" + r.List, r.UserId, r.OrganisationId, r.FromAddress, r.CorrelationId)));
                return TypedResults.Ok(writes.Concat(reads).OrderBy(a => a.At).ToList());
            })
            .WithName("GetReferralAudit")
            .WithSummary("Who read or changed this referral, when, from where (admins, and the managers of its two organisations; never the data).");
        return group;
    }
}
