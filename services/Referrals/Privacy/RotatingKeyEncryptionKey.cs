using Marten.Exceptions;

namespace Coordination.Referrals.Privacy;

/// <summary>What a rotation did: every person key now wrapped under <paramref name="KeyEncryptionKey"/>.</summary>
public sealed record KeyEncryptionKeyRotated(string KeyEncryptionKey, int Rewrapped, int Total);

/// <summary>
/// Rotating the key-encryption key (docs/privacy.md): add the new KEK where the service reads them, call this, then
/// retire the old one. Every person key is unwrapped with the KEK it was stored under and wrapped again under the
/// current one; the person keys themselves do not change, so every sealed value stays readable.
/// </summary>
public static class KeyEncryptionKeyRotation
{
    public const string Route = "/api/referrals/admin/key-encryption/rotation";
    private const int BatchSize = 500;

    public static WebApplication MapKeyEncryptionKeyRotation(this WebApplication app)
    {
        app.MapPost(Route, async (IDocumentStore store, IKeyEncryptionKeyProvider keks, CancellationToken ct) =>
                TypedResults.Ok(await RewrapAll(store, keks, ct)))
            .RequireAuthorization(Policies.Jobs)
            .WithTags("Operations")
            .WithName("RotateKeyEncryptionKey")
            .WithSummary("Re-wrap every person key under the current key-encryption key (admins and jobs; ./coordination rotate-kek).");
        return app;
    }

    public static async Task<KeyEncryptionKeyRotated> RewrapAll(IDocumentStore store, IKeyEncryptionKeyProvider keks, CancellationToken ct)
    {
        keks.Refresh();
        var current = keks.Current.Id;
        IReadOnlyList<Guid> subjects;
        await using (var query = store.QuerySession())
            subjects = await query.Query<PersonalDataKey>().Select(k => k.Id).ToListAsync(ct);
        var rewrapped = 0;
        foreach (var batch in subjects.Chunk(BatchSize))
            rewrapped += await Rewrap(store, batch, current, ct);
        return new KeyEncryptionKeyRotated(current, rewrapped, subjects.Count);
    }

    private static async Task<int> Rewrap(IDocumentStore store, Guid[] subjects, string current, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var stale = (await session.LoadManyAsync<PersonalDataKey>(ct, subjects)).Where(k => k.WrappedWith != current).ToList();
            if (stale.Count == 0) return 0;
            // Update, never Store (an upsert): a key erased since it was loaded must stay erased. Updating a deleted
            // document fails the whole batch, which is loaded again without it.
            foreach (var key in stale)
                session.Update(key);
            try
            {
                await session.SaveChangesAsync(ct);
                return stale.Count;
            }
            catch (NonExistentDocumentException) when (attempt < 5)
            {
            }
        }
    }
}
