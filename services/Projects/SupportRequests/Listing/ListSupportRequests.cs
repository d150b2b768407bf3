namespace Coordination.Projects.SupportRequests.Listing;

public static class ListSupportRequests
{
    public static RouteGroupBuilder MapListSupportRequests(this RouteGroupBuilder group)
    {
        group.MapGet("/support-requests", async (IQuerySession session, TimeProvider time, HttpContext http, CancellationToken ct,
                bool openOnly = true) =>
            {
                var user = CurrentUser.From(http.User);
                IQueryable<SupportRequestDetails> query = session.Query<SupportRequestDetails>();
                if (!user.IsCoordinatorOrAdmin) query = query.Where(r => r.LeadOrganisationId == user.OrganisationId);
                if (openOnly) query = query.Where(r => r.Status != SupportStatus.Closed);
                var now = time.GetUtcNow();
                var requests = await query.OrderBy(r => r.RequestedAt).Take(500).ToListAsync(ct);
                return TypedResults.Ok(requests.Select(r => SupportRequestView.Of(r, user, now)).ToList());
            })
            .WithName("GetSupportRequests")
            .WithSummary("Open support requests with their age, oldest first (coordinators: all; others: their organisation's).");
        return group;
    }
}
