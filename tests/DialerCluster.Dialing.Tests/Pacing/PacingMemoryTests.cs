using DialerCluster.Dialing.Pacing;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Pacing;

public sealed class PacingMemoryTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One thing a campaign's feed records: (kind, seconds, minutes after T0).</summary>
    private static Gen<(int Kind, double Seconds, int Minute)> Record =>
        from kind in Gen.Choose(0, 5)
        from tenths in Gen.Choose(0, 6_000)
        from minute in Gen.Choose(0, 90)
        select (kind, tenths / 10.0, minute);

    [Fact]
    public void A_feed_that_recalls_what_another_remembered_paces_on_the_same_estimates()
    {
        // Up to 2,500 records: past the windows (1,000 answers, 500 durations), so the oldest samples have rolled out.
        var histories = from length in Gen.Choose(0, 2_500) from records in Gen.ArrayOf(Record, length) select records;
        Prop.ForAll(histories.ToArbitrary(), records =>
        {
            var original = NewFeed();
            foreach (var (kind, seconds, minute) in records.OrderBy(r => r.Minute))
            {
                Apply(original, kind, TimeSpan.FromSeconds(seconds), T0.AddMinutes(minute));
            }

            var recalled = NewFeed();
            recalled.Recall(original.Remember());

            var now = T0.AddMinutes(91);
            return Same(original, recalled, now) && Same(original, recalled, now.AddMinutes(20));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Abandons_older_than_the_window_are_not_brought_back()
    {
        var original = NewFeed();
        original.RecordPersonAnswered(TimeSpan.FromSeconds(8), T0);
        original.RecordAbandoned(T0);

        var recalled = NewFeed();
        recalled.Recall(original.Remember());

        Assert.Equal(1, recalled.AbandonWindow.Abandoned(T0.AddMinutes(29)));
        Assert.Equal(0, recalled.AbandonWindow.Abandoned(T0.AddMinutes(31)));
        Assert.Equal((1, 1), (recalled.AnsweredByPerson, recalled.Abandoned));
    }

    private static PacingFeed NewFeed() => new(TimeSpan.FromSeconds(120), TimeSpan.FromMinutes(30));

    private static void Apply(PacingFeed feed, int kind, TimeSpan duration, DateTimeOffset at)
    {
        switch (kind)
        {
            case 0: feed.RecordPersonAnswered(duration, at); break;
            case 1: feed.RecordOtherOutcome(duration); break;
            case 2: feed.RecordAbandoned(at); break;
            case 3: feed.TalkTime.Record(duration); break;
            case 4: feed.WrapUpTime.Record(duration); break;
            default: feed.RecordAbandoned(at); feed.RecordPersonAnswered(duration, at); break;
        }
    }

    // Means to the microsecond: the original's running sum still carries the rounding of samples that rolled out of
    // its window, the recalled one never saw them.
    private static bool Same(PacingFeed a, PacingFeed b, DateTimeOffset now) =>
        a.AnswerRate.Rate == b.AnswerRate.Rate
        && a.AnswerRate.Samples == b.AnswerRate.Samples
        && Close(a.TalkTime.Mean, b.TalkTime.Mean)
        && Close(a.WrapUpTime.Mean, b.WrapUpTime.Mean)
        && Close(a.AnswerDelay.Mean, b.AnswerDelay.Mean)
        && Close(a.OtherOutcomeDelay.Mean, b.OtherOutcomeDelay.Mean)
        && a.TalkTime.Samples == b.TalkTime.Samples
        && a.TalkTime.Survival(TimeSpan.FromSeconds(60)) == b.TalkTime.Survival(TimeSpan.FromSeconds(60))
        && a.AbandonWindow.Answered(now) == b.AbandonWindow.Answered(now)
        && a.AbandonWindow.Abandoned(now) == b.AbandonWindow.Abandoned(now)
        && a.SteeringAbandonRate(now) == b.SteeringAbandonRate(now);

    private static bool Close(TimeSpan a, TimeSpan b) => Math.Abs((a - b).TotalMicroseconds) <= 1;
}
