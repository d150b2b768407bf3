namespace Coordination.Dashboard.Referrals;

/// <summary>
/// What both ways of counting hand-offs produce before publication: from the monthly totals
/// (<see cref="FromTotals"/>) or from the hand-offs themselves (<see cref="FromFacts"/>). Both group with the same
/// SQL functions (<c>ReferralRules.sql</c>), so they agree.
/// </summary>
public sealed partial class ReferralFigures
{
    public static readonly string[] Directions = ["iscg-to-association", "association-to-iscg", "to-partner", "from-partner", "other"];
    public static readonly string[] Answers = ["pending", "accepted", "declined", "redirected", "expired", "withdrawn"];
    public static readonly string[] Urgencies = ["immediate", "within-24-hours", "standard"];

    public Dictionary<string, (int Sent, int Received)> DirectionCounts { get; } = Directions.ToDictionary(direction => direction, _ => (0, 0));
    public int[] AnswerCounts { get; } = new int[Answers.Length];
    public int Total { get; set; }
    public int OverdueNow { get; set; }
    public DateTimeOffset? AsOf { get; set; }
    public Dictionary<string, int> DeclineReasons { get; } = [];
    public Dictionary<string, int> Needs { get; } = [];
    public Dictionary<string, int> Situations { get; } = [];
    public Dictionary<string, int> Outcomes { get; } = [];
    public Dictionary<string, Timing> Timings { get; } = [];
    public List<(string Bucket, int Sent)> Series { get; } = [];

    /// <summary>Delays of one urgency tier, in seconds (hours once published).</summary>
    public sealed record Timing(int Sent, int Acknowledged, double? MedianSecondsToAcknowledge, double? P90SecondsToAcknowledge,
        int DeadlineKnown, int InTime, int Contacted, double? MedianSecondsToFirstContact, double? P90SecondsToFirstContact)
    {
        public static readonly Timing None = new(0, 0, null, null, 0, 0, 0, null, null);
    }

    /// <summary>Counts a code under its dimension, as <c>dashboard.referral_codes</c> names them.</summary>
    private void CountCode(string dimension, string code, int count)
    {
        var counts = dimension switch
        {
            "need" => Needs,
            "decline-reason" => DeclineReasons,
            "situation" => Situations,
            "outcome" => Outcomes,
            _ => throw new InvalidOperationException($"Unknown code dimension {dimension}."),
        };
        counts[code] = count;
    }

    private void CountAnswer(string? answer, int count)
    {
        var index = Array.IndexOf(Answers, answer);
        if (index >= 0) AnswerCounts[index] = count;
    }
}
