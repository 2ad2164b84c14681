using DialerCluster.LoadTests.Running;

namespace DialerCluster.LoadTests.Tests.Running;

public sealed class OpenArrivalScheduleTests
{
    [Fact]
    public void A_fixed_rate_spaces_arrivals_evenly_from_the_start_of_the_phase()
    {
        var schedule = new OpenArrivalSchedule(10, 10, TimeSpan.FromSeconds(1));

        Assert.Equal(10, schedule.Total);
        Assert.Equal(
            Enumerable.Range(0, 10).Select(k => TimeSpan.FromMilliseconds(100 * k)),
            Enumerable.Range(0, 10).Select(k => Round(schedule.DueAt(k))));
        Assert.Equal(1, schedule.DueBy(TimeSpan.Zero));
        Assert.Equal(1, schedule.DueBy(TimeSpan.FromMilliseconds(99)));
        Assert.Equal(2, schedule.DueBy(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(10, schedule.DueBy(TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData(0, 100, 2, 100)]
    [InlineData(100, 0, 2, 100)]
    [InlineData(50, 150, 4, 400)]
    [InlineData(0, 0, 3, 0)]
    [InlineData(7, 7, 1.5, 11)]
    public void Arrivals_in_a_phase_are_the_area_under_the_rate(double from, double to, double seconds, long expected)
    {
        var schedule = new OpenArrivalSchedule(from, to, TimeSpan.FromSeconds(seconds));

        Assert.Equal(expected, schedule.Total);
        Assert.Equal(expected, schedule.DueBy(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void A_ramp_up_brings_arrivals_closer_together()
    {
        var schedule = new OpenArrivalSchedule(0, 100, TimeSpan.FromSeconds(2));
        var gaps = Enumerable.Range(1, 99).Select(k => schedule.DueAt(k) - schedule.DueAt(k - 1)).ToArray();

        Assert.All(gaps.Zip(gaps.Skip(1)), pair => Assert.True(pair.Second <= pair.First));
        Assert.Equal(Math.Sqrt(1 / 25.0), schedule.DueAt(1).TotalSeconds, precision: 9);
    }

    [Fact]
    public void Every_arrival_is_due_exactly_when_the_count_due_reaches_it_for_random_phases()
    {
        var random = new Random(11);
        for (var run = 0; run < 200; run++)
        {
            var schedule = new OpenArrivalSchedule(random.NextDouble() * 500, random.NextDouble() * 500, TimeSpan.FromSeconds(0.1 + (random.NextDouble() * 5)));
            var previous = TimeSpan.MinValue;
            for (long k = 0; k < schedule.Total; k++)
            {
                var due = schedule.DueAt(k);
                Assert.True(due >= previous && due < schedule.During, $"run {run}: arrival {k} due at {due}");
                Assert.True(schedule.DueBy(due + TimeSpan.FromTicks(1)) >= k + 1, $"run {run}: arrival {k} not due at its own time");
                Assert.True(k == 0 || schedule.DueBy(due - TimeSpan.FromMilliseconds(0.5)) <= k, $"run {run}: arrival {k} due too early");
                previous = due;
            }
        }
    }

    private static TimeSpan Round(TimeSpan value) => TimeSpan.FromMilliseconds(Math.Round(value.TotalMilliseconds, 6));
}
