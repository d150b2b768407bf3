using Coordination.Referrals.Erasing;
using Coordination.Referrals.GettingDetails;
using JasperFx;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Coordination.Referrals.Archiving;

/// <summary>
/// Retention (<c>Privacy:Retention</c>), after CNIL's framework for social support (deliberation 2023-095): a case
/// stays in the active base while it is worked on; once ended and dormant for <see cref="ArchiveAfter"/> it is
/// archived (readable only by authorised people, with a reason); <see cref="AnonymiseAfter"/> after the last
/// activity on every referral of the person (CNIL: 2 years after the last contact) their key is shredded.
/// </summary>
public sealed class RetentionOptions
{
    public TimeSpan ArchiveAfter { get; set; } = TimeSpan.FromDays(180);
    public TimeSpan AnonymiseAfter { get; set; } = TimeSpan.FromDays(730);
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromHours(1);
}

public sealed record ArchiveIfDormant(DateTimeOffset Now, TimeSpan After);

public sealed record AnonymiseIfDormant(DateTimeOffset Now, TimeSpan After);

public sealed record RetentionPass(int Archived, int Anonymised);

public static class RetentionDecisions
{
    public static bool IsDormant(Referral state, DateTimeOffset now, TimeSpan after) =>
        state.LastActivityAt is { } last && last + after <= now;

    /// <summary>An ended case, dormant long enough, leaves the active base — once.</summary>
    public static IReadOnlyList<object> Decide(ArchiveIfDormant command, Referral state) =>
        state is { IsTerminal: true, Archived: false } && IsDormant(state, command.Now, command.After)
            ? [new ReferralArchived(state.Id, state.LastActivityAt!.Value, command.Now)]
            : [];

    /// <summary>
    /// A person is anonymised when every referral sealed with their key has been dormant long enough (a recent
    /// redirection keeps the person's earlier referral readable). Returns the erasure commands, or none.
    /// </summary>
    public static ErasePersonalData? Decide(AnonymiseIfDormant command, IReadOnlyList<Referral> referralsOfThePerson) =>
        referralsOfThePerson.Count > 0 && referralsOfThePerson.Any(r => !r.Erased)
        && referralsOfThePerson.All(r => r.Erased || IsDormant(r, command.Now, command.After))
            ? new ErasePersonalData(ErasureGround.RetentionPeriodEnded, null, RetentionWatcher.SystemUser, null, command.Now)
            : null;
}

/// <summary>
/// Applies <see cref="RetentionOptions"/> every <c>CheckEvery</c>. With several instances, a pass runs under a
/// PostgreSQL session advisory lock (<c>pg_try_advisory_lock</c>) on the service's database: an instance that does
/// not get it skips the pass. Beyond the lock, every decision is taken again from the stream with optimistic
/// concurrency, so even two overlapping passes archive and anonymise each case exactly once.
/// </summary>
public sealed partial class RetentionWatcher(
    IDocumentStore store, TimeProvider time, IOptions<RetentionOptions> options, ILogger<RetentionWatcher> logger) : BackgroundService
{
    public const string SystemUser = "system:retention";

    /// <summary>"referrals retention" — the same number on every instance of the service.</summary>
    public const long AdvisoryLockId = 0x5245_4645_5252_4554;

    private const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckEvery, time);
        do
        {
            try
            {
                if (await RunOnceAsync(stoppingToken) is { } pass && (pass.Archived > 0 || pass.Anonymised > 0))
                    LogPass(logger, pass.Archived, pass.Anonymised);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, exception);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass; null when another instance holds the lock (this one then does nothing).</summary>
    public async Task<RetentionPass?> RunOnceAsync(CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        if (!await Scalar<bool>(connection, "SELECT pg_try_advisory_lock(@id)", ct))
            return null;
        try
        {
            var now = time.GetUtcNow();
            return new RetentionPass(await ArchiveAsync(now, ct), await AnonymiseAsync(now, ct));
        }
        finally
        {
            await Scalar<bool>(connection, "SELECT pg_advisory_unlock(@id)", CancellationToken.None);
        }
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", AdvisoryLockId);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task<int> ArchiveAsync(DateTimeOffset now, CancellationToken ct)
    {
        var threshold = now - options.Value.ArchiveAfter;
        var terminal = Referral.Terminal.ToArray();
        IReadOnlyList<Guid> candidates;
        await using (var query = store.QuerySession())
            candidates = await query.Query<ReferralDetails>()
                .Where(r => r.ArchivedAt == null && terminal.Contains(r.Status)
                            && (r.LastActivityAt <= threshold || (r.LastActivityAt == null && r.LastChangedAt <= threshold)))
                .Select(r => r.Id).Take(BatchSize).ToListAsync(ct);

        var archived = 0;
        foreach (var id in candidates)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = SystemUser;
            var stream = await session.Events.FetchForWriting<Referral>(id, ct);
            if (stream.Aggregate is null) continue;
            var events = RetentionDecisions.Decide(new ArchiveIfDormant(now, options.Value.ArchiveAfter), stream.Aggregate);
            if (events.Count == 0) continue;
            stream.AppendMany(events);
            if (await TrySave(session, ct)) archived++;
        }
        return archived;
    }

    private async Task<int> AnonymiseAsync(DateTimeOffset now, CancellationToken ct)
    {
        var threshold = now - options.Value.AnonymiseAfter;
        // Ids only, and no batch limit: a person kept by a newer referral must not hold the others back.
        IReadOnlyList<Guid> subjects;
        await using (var query = store.QuerySession())
            subjects = (await query.Query<ReferralDetails>()
                    .Where(r => r.ErasedAt == null
                                && (r.LastActivityAt <= threshold || (r.LastActivityAt == null && r.LastChangedAt <= threshold)))
                    .Select(r => new { r.Id, r.DataSubjectId }).ToListAsync(ct))
                .Select(r => r.DataSubjectId ?? r.Id).Distinct().ToList();

        var anonymised = 0;
        foreach (var subject in subjects)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = SystemUser;
            var ids = await session.Query<ReferralDetails>().Where(r => r.DataSubjectId == subject || r.Id == subject).Select(r => r.Id).ToListAsync(ct);
            var streams = new List<JasperFx.Events.IEventStream<Referral>>();
            foreach (var id in ids)
                if (await session.Events.FetchForWriting<Referral>(id, ct) is { Aggregate: not null } stream)
                    streams.Add(stream);
            if (RetentionDecisions.Decide(new AnonymiseIfDormant(now, options.Value.AnonymiseAfter), [.. streams.Select(s => s.Aggregate!)]) is not { } erase)
                continue;
            foreach (var stream in streams.Where(s => !s.Aggregate!.Erased))
                stream.AppendMany(ErasePersonalDataEndpoint.Decide(erase, stream.Aggregate!));
            session.Delete<Privacy.PersonalDataKey>(subject);
            if (await TrySave(session, ct)) anonymised++;
        }
        return anonymised;
    }

    private static async Task<bool> TrySave(IDocumentSession session, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (ConcurrencyException)
        {
            return false; // someone acted on the case (or another pass did it) meanwhile: the next pass decides again
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention pass: {Archived} referrals archived, {Anonymised} persons anonymised")]
    private static partial void LogPass(ILogger logger, int archived, int anonymised);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention pass failed; retrying at the next tick")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
