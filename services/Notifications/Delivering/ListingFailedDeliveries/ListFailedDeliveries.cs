using Coordination.Notifications.Notifying;
using Coordination.ServiceDefaults.Security;
using Marten;

namespace Coordination.Notifications.Delivering.ListingFailedDeliveries;

/// <summary>An e-mail that will never arrive: the manager sees whose and why, to fix the address in Identity.</summary>
public sealed record FailedDelivery(Guid NotificationId, string UserId, string? DisplayName, string Reason, DateTimeOffset? LastAttemptAt);

public static class ListFailedDeliveriesEndpoint
{
    public static RouteGroupBuilder MapFailedDeliveries(this RouteGroupBuilder group)
    {
        group.MapGet("/failed-deliveries", async (HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                if (!user.IsOrganisationManager || user.OrganisationId is not { } organisationId)
                    throw new ServiceDefaults.Http.AccessDenied("Réservé au ou à la responsable de l'organisation.");
                var failed = await session.Query<Delivery>()
                    .Where(d => d.OrganisationId == organisationId && d.Status == DeliveryStatus.Failed)
                    .OrderByDescending(d => d.LastAttemptAt).Take(100).ToListAsync(ct);
                var userIds = failed.Select(d => d.UserId).Distinct().ToArray();
                var names = (await session.Query<Audience.Member>().Where(m => userIds.Contains(m.UserId)).ToListAsync(ct))
                    .GroupBy(m => m.UserId).ToDictionary(g => g.Key, g => g.First().DisplayName);
                return TypedResults.Ok(failed.Select(d => new FailedDelivery(d.NotificationId, d.UserId, names.GetValueOrDefault(d.UserId),
                    Reason(d.LastError), d.LastAttemptAt)).ToList());
            })
            .WithName("ListFailedDeliveries")
            .WithSummary("E-mails to the manager's organisation that were refused for good (manager only).");
        return group;
    }

    public static string Reason(string? code) => code switch
    {
        "address-refused" => "Adresse refusée par le serveur de messagerie",
        "no-address" => "Aucune adresse e-mail connue",
        "account-disabled" => "Compte désactivé",
        _ => "Échec d'envoi",
    };
}
