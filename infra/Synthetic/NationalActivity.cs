using Coordination.Contracts;
using Coordination.Contracts.Directory;
using Coordination.Contracts.Projects;
using Coordination.Contracts.Referrals;
using Coordination.Contracts.Training;
using Coordination.ReferenceData;

namespace Coordination.Synthetic;

/// <summary>One stream as the Dashboard stores it: the source's stream id and its contracts in order.</summary>
public sealed record SyntheticStream(Guid Id, IReadOnlyList<IIntegrationEvent> Events);

/// <summary>
/// A year of national activity with the proportions of ../shared/notes/domain.md (copied into docs/benchmarks):
/// ~450 ISCG posts, ~130 associations, ~300 partners over the 101 départements; one hand-off per person, 60 %
/// intrafamily violence, 12 % with minors; directions, urgencies, answers, delays and outcomes as below; ~80
/// training sessions, ~300 joint interventions and ~150 projects. The same seed and end date give the same data.
/// </summary>
public sealed class NationalActivity(int seed, DateTimeOffset until)
{
    private readonly Random random = new(seed);
    private readonly DateTimeOffset since = until.AddYears(-1);
    private readonly List<(Guid Id, string Kind, string Departement)> organisations = [];
    private string[] departements = [];

    public int Persons { get; private set; }

    public IEnumerable<SyntheticStream> Organisations()
    {
        departements = [.. Vocabularies.Departements.Keys.Order(StringComparer.Ordinal)];
        foreach (var (kind, count) in new[] { (OrganisationKinds.IscgPost, 450), (OrganisationKinds.VictimSupportAssociation, 130), (OrganisationKinds.Partner, 300) })
            for (var i = 0; i < count; i++)
            {
                // Every département gets at least one of each kind, the rest spread at random.
                var departement = i < departements.Length ? departements[i] : Pick(departements);
                var id = NewId();
                organisations.Add((id, kind, departement));
                yield return new SyntheticStream(id, [new OrganisationRegistered(id, kind, kind == OrganisationKinds.Partner ? "ccas-cias" : null,
                    kind == OrganisationKinds.IscgPost ? "police" : null, [departement], ["famille--violences-intrafamiliales"], true, 1, since.AddDays(-30))]);
            }
    }

    /// <summary>Hand-offs until about <paramref name="events"/> contracts were produced (≈ 4.5 per hand-off).</summary>
    public IEnumerable<SyntheticStream> Referrals(long events)
    {
        var iscg = organisations.Where(o => o.Kind == OrganisationKinds.IscgPost).ToLookup(o => o.Departement);
        var associations = organisations.Where(o => o.Kind == OrganisationKinds.VictimSupportAssociation).ToLookup(o => o.Departement);
        var partners = organisations.Where(o => o.Kind == OrganisationKinds.Partner).ToLookup(o => o.Departement);
        (Guid Id, string Kind, string Departement) In(ILookup<string, (Guid Id, string Kind, string Departement)> kind, string departement) =>
            kind[departement].Any() ? Pick(kind[departement].ToArray()) : Pick(kind.SelectMany(g => g).ToArray());

        long produced = 0;
        while (produced < events)
        {
            var departement = Pick(departements);
            var direction = random.NextDouble();
            var (sender, receiver) = direction switch
            {
                < 0.55 => (In(iscg, departement), In(associations, departement)),
                < 0.65 => (In(associations, departement), In(iscg, departement)),
                < 0.95 => (In(iscg, departement), In(partners, departement)),
                _ => (In(associations, departement), In(partners, departement)),
            };
            var stream = Referral(sender.Id, receiver.Id, departement);
            produced += stream.Events.Count;
            Persons++;
            yield return stream;
        }
    }

    private SyntheticStream Referral(Guid sender, Guid receiver, string departement)
    {
        var id = NewId();
        var urgency = Weighted(("immediate", 0.10), ("within-24-hours", 0.30), ("standard", 0.60));
        var situation = Weighted(("intrafamily-violence", 0.60), ("sexual-violence", 0.07), ("assault", 0.10), ("property-offence", 0.05),
            ("road-accident", 0.02), ("other-non-penal", 0.16));
        string[] needPool = ["famille--violences-intrafamiliales", "logement-hebergement--mal-loges-sans-logis", "acces-aux-droits-et-citoyennete--accompagnement-juridique",
            "sante--sante-mentale", "difficultes-financieres--aide-budget", "coordination--aide-aux-victimes"];
        var needs = needPool.Where(_ => random.NextDouble() < 0.35).DefaultIfEmpty(needPool[0]).ToArray();
        var sentAt = since.AddSeconds(random.NextDouble() * (until - since).TotalSeconds);
        var deadline = urgency switch { "immediate" => TimeSpan.FromHours(2), "within-24-hours" => TimeSpan.FromHours(24), _ => TimeSpan.FromDays(5) };
        var typical = urgency switch { "immediate" => 1.0, "within-24-hours" => 8.0, _ => 48.0 }; // median hours to pick up
        var events = new List<IIntegrationEvent>();
        long version = 2;
        events.Add(new ReferralSent(id, sender, receiver, departement, urgency, situation, needs, random.NextDouble() < 0.12, random.NextDouble() < 0.01,
            sentAt + deadline, sentAt.AddDays(30), null, ++version, sentAt));

        var pickedUpAt = sentAt.AddHours(typical * Math.Exp(0.8 * Gaussian()));
        if (pickedUpAt > sentAt + deadline)
            events.Add(new ReferralOverdue(id, sender, receiver, departement, urgency, sentAt + deadline, ++version, sentAt + deadline));
        if (pickedUpAt >= until) return new SyntheticStream(id, events); // still waiting
        if (random.NextDouble() < 0.75)
            events.Add(new ReferralAcknowledged(id, sender, receiver, departement, urgency, ++version, pickedUpAt));
        var answer = Weighted(("accepted", 0.72), ("declined", 0.12), ("redirected", 0.05), ("expired", 0.06), ("withdrawn", 0.03), ("waiting", 0.02));
        var answeredAt = pickedUpAt.AddHours(random.NextDouble() * 4);
        switch (answer)
        {
            case "accepted":
                events.Add(new ReferralAccepted(id, sender, receiver, departement, urgency, ++version, answeredAt));
                if (random.NextDouble() < 0.8)
                {
                    var contactAt = answeredAt.AddHours(typical * Math.Exp(0.7 * Gaussian()));
                    events.Add(new ReferralFirstContactRecorded(id, sender, receiver, departement, urgency, contactAt, ++version, contactAt));
                    if (random.NextDouble() < 0.75)
                        events.Add(new ReferralCompleted(id, sender, receiver, departement, urgency,
                            Weighted(("helped", 0.55), ("partly-helped", 0.20), ("could-not-contact", 0.10), ("not-eligible", 0.05), ("no-capacity", 0.03),
                                ("person-no-longer-wishes-support", 0.05), ("referred-elsewhere", 0.02)), ++version, contactAt.AddDays(20 + random.Next(60))));
                }
                break;
            case "declined":
                events.Add(new ReferralDeclined(id, sender, receiver, departement, urgency,
                    [Weighted(("person-unreachable", 0.25), ("outside-remit", 0.15), ("outside-territory", 0.10), ("no-capacity", 0.20), ("missing-information", 0.10),
                        ("duplicate", 0.05), ("already-supported", 0.10), ("person-no-longer-wishes-support", 0.05))],
                    random.NextDouble() < 0.8 ? "organisation" : "person", ++version, answeredAt));
                break;
            case "redirected":
                events.Add(new ReferralRedirected(id, sender, receiver, departement, urgency, NewId(), receiver, ++version, answeredAt));
                break;
            case "expired":
                events.Add(new ReferralExpired(id, sender, receiver, departement, urgency, ++version, sentAt.AddDays(30)));
                break;
            case "withdrawn":
                events.Add(new ReferralWithdrawn(id, sender, receiver, departement, urgency, ++version, answeredAt));
                break;
        }
        return new SyntheticStream(id, [.. events.Where(e => e.OccurredAt < until)]);
    }

    public IEnumerable<SyntheticStream> Training()
    {
        for (var i = 0; i < 80; i++)
        {
            var id = NewId();
            var departement = Pick(departements);
            var capacity = 12 + random.Next(13);
            var startsAt = since.AddDays(random.Next(365));
            var registered = Math.Min(capacity, 6 + random.Next(capacity));
            var waitlisted = Math.Max(0, 6 + random.Next(capacity) - capacity);
            var events = new List<IIntegrationEvent>
            {
                new TrainingSessionScheduled(id, Guid.Empty, 1, departement, "both", capacity, startsAt, 1, startsAt.AddDays(-45)),
                new TrainingRegistrationsChanged(id, departement, capacity, registered, waitlisted, 3, startsAt.AddDays(-10)),
            };
            if (startsAt < until && random.NextDouble() < 0.92)
            {
                var attended = registered - random.Next(3);
                var iscgShare = attended / 2;
                events.Add(new TrainingSessionHeld(id, departement, capacity, registered, iscgShare, attended - iscgShare - 1, 1, 5, startsAt.AddHours(7)));
                for (var e = 0; e < attended * 2 / 3; e++)
                    events.Add(new TrainingEvaluationSubmitted(id, departement, 3 + random.Next(3), 6 + e, startsAt.AddDays(1)));
            }
            else if (startsAt < until)
                events.Add(new TrainingSessionCancelled(id, departement, registered, waitlisted, 4, startsAt.AddDays(-3)));
            yield return new SyntheticStream(id, [.. events.Where(e => e.OccurredAt < until)]);
        }
        for (var i = 0; i < 300; i++)
        {
            var id = NewId();
            var day = since.AddDays(random.Next(365));
            yield return new SyntheticStream(id, [new JointInterventionRecorded(id, Pick(departements),
                Weighted(("presentation-to-police", 0.4), ("joint-case-review", 0.35), ("colloquium", 0.1), ("awareness-session", 0.15)),
                DateOnly.FromDateTime(day.UtcDateTime), 1 + random.Next(3), 1 + random.Next(2), random.Next(3), 10 + random.Next(60), 1, day)]);
        }
    }

    public IEnumerable<SyntheticStream> Projects()
    {
        string[] stages = ["idea", "diagnosis", "funding-search", "convention-signed", "launched", "running", "evaluated"];
        for (var i = 0; i < 150; i++)
        {
            var id = NewId();
            var lead = Pick([.. organisations.Where(o => o.Kind != OrganisationKinds.Partner)]);
            var type = Weighted(("new-iscg-post", 0.35), ("joint-reception-point", 0.2), ("partnership-convention", 0.25), ("training-programme", 0.1), ("awareness-campaign", 0.1));
            var reached = random.Next(stages.Length);
            var at = since.AddDays(random.Next(200));
            var events = new List<IIntegrationEvent>();
            long version = 0;
            for (var s = 0; s <= reached; s++, at = at.AddDays(10 + random.Next(60)))
                events.Add(new ProjectStageChanged(id, type, [lead.Departement], lead.Id, stages[s], s == 0 ? null : stages[s - 1], ++version, at));
            foreach (var funder in new[] { "state-fipd", "departement", "caf" }.Where(_ => random.NextDouble() < 0.5))
            {
                var requested = 5000m * (1 + random.Next(10));
                var decision = Weighted(("pending", 0.4), ("granted", 0.45), ("refused", 0.15));
                events.Add(new ProjectFundingLineChanged(id, NewId(), funder, requested, decision == "granted" ? requested * 0.8m : null, decision, ++version, at));
            }
            yield return new SyntheticStream(id, [.. events.Where(e => e.OccurredAt < until)]);
            if (random.NextDouble() < 0.5)
            {
                var request = NewId();
                var opened = since.AddDays(random.Next(360));
                var kind = Weighted(("model-document", 0.3), ("funding-file-review", 0.3), ("legal-question", 0.2), ("partner-contact", 0.2));
                yield return new SyntheticStream(request, [new SupportRequestOpened(request, id, kind, 1, opened),
                    new SupportRequestAnswered(request, id, kind, 1 + random.NextDouble() * 72, 2, opened.AddDays(1))]);
            }
        }
    }

    private Guid NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];

    private string Weighted(params (string Value, double Weight)[] choices)
    {
        var roll = random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
            if ((roll -= weight) < 0) return value;
        return choices[^1].Value;
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
