using Coordination.Referrals.Auditing;
using Coordination.Referrals.GettingDetails;
using Coordination.Referrals.Privacy;

namespace Coordination.Referrals.ReadingArchives;

public sealed record ArchiveAccessRequest(string? Reason);

/// <summary>
/// An archived case (out of the active base, see <c>Archiving/RetentionWatcher</c>) is read only by people of one of
/// its two organisations who hold the archive habilitation (claim <c>archive_access</c>), each time with a reason.
/// Every such read is appended to the referral's audit stream with the reason (sealed with the person's key: it may
/// name them), which admins and the organisations' managers read through <c>GET /{id}/audit</c>.
/// </summary>
public static class ReadArchivedReferralEndpoint
{
    public const int MinReasonLength = 20;

    public static RouteGroupBuilder MapReadArchivedReferral(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/archive-access", async Task<Results<Ok<ReferralView>, ProblemHttpResult, ValidationProblem>> (
                Guid id, ArchiveAccessRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var errors = new Drafting.ReferralValidation();
                var reason = errors.Text(request.Reason, "reason", 1000, required: true);
                if (reason is { Length: < MinReasonLength })
                    errors.Add("reason", $"Indiquez le motif de la consultation (au moins {MinReasonLength} caractères) : il est conservé au journal d'accès.");
                if (!errors.IsValid) return Problems.Invalid(errors.Errors);

                var user = CurrentUser.From(http.User);
                var referral = await session.LoadAsync<ReferralDetails>(id, ct);
                if (referral is null || ReferralView.RelationOf(referral, user) is not { } viewer)
                    return Problems.NotFound();
                if (viewer == Viewer.Support || !user.HasArchiveAccess)
                    return Problems.Forbidden("Consulter une orientation archivée demande une habilitation spécifique (accès aux archives) dans l'une des deux organisations.");
                if (referral.ArchivedAt is null)
                    return Problems.Conflict("Cette orientation n'est pas archivée : consultez-la normalement.");
                if (referral.ErasedAt is not null)
                    return Problems.Conflict("Les données personnelles de cette orientation ont été effacées : l'archive ne contient plus rien d'identifiant.");

                var now = time.GetUtcNow();
                var sealer = await Sealer.ForReferral(session, id, now, ct);
                session.Events.Append(ReferralAudit.StreamOf(id), new ArchivedReferralRead(id, user.UserId, user.Role, user.OrganisationId,
                    sealer.Seal(reason!), http.Connection.RemoteIpAddress?.ToString(), CorrelationIds.Current(http), now));
                await session.SaveChangesAsync(ct);
                http.Response.SetETag(referral.Version);
                return TypedResults.Ok(ReferralView.For(referral, viewer, new KeyRing(new Dictionary<Guid, PersonalDataKey> { [sealer.Key.Id] = sealer.Key })));
            })
            .WithName("ReadArchivedReferral")
            .WithSummary("Read an archived referral (archive habilitation of one of its organisations, reason required, audited).");
        return group;
    }
}
