using DialerCluster.LoadTests.Measurement;

namespace DialerCluster.LoadTests.Tests.Measurement;

public sealed class LatencyHistogramTests
{
    private static readonly double[] Percentiles = [0, 1, 10, 50, 75, 90, 95, 99, 99.9, 100];

    public static TheoryData<string, int> Distributions => new()
    {
        { "log-uniform 1us..60s", 1 }, { "log-uniform 1us..60s", 2 }, { "exponential mean 2ms", 3 },
        { "exponential mean 2ms", 4 }, { "bimodal 300us / 40ms", 5 }, { "uniform 0..200us", 6 },
    };

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Percentiles_match_the_exact_sorted_array_percentiles_within_one_percent(string distribution, int seed)
    {
        var random = new Random(seed);
        var samples = new long[20_000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = distribution switch
            {
                "log-uniform 1us..60s" => (long)Math.Exp(random.NextDouble() * Math.Log(60_000_000)),
                "exponential mean 2ms" => (long)(-2000 * Math.Log(1 - random.NextDouble())),
                "bimodal 300us / 40ms" => random.Next(10) == 0 ? 40_000 + random.Next(5_000) : 300 + random.Next(100),
                _ => random.Next(201),
            };
        }

        var histogram = new LatencyHistogram();
        foreach (var sample in samples)
        {
            histogram.Record(sample);
        }

        Array.Sort(samples);
        foreach (var p in Percentiles)
        {
            var exact = samples[Math.Max(0, (int)Math.Ceiling(p / 100 * samples.Length) - 1)];
            var measured = histogram.PercentileMicros(p);
            Assert.True(Math.Abs(measured - exact) <= exact * 0.01, $"p{p}: histogram {measured} µs, exact {exact} µs");
        }

        Assert.Equal(samples[0], histogram.MinMicros);
        Assert.Equal(samples[^1], histogram.MaxMicros);
        Assert.Equal(samples.Average(), histogram.MeanMicros, precision: 6);
    }

    [Fact]
    public void Every_value_falls_in_a_bucket_at_most_one_128th_of_its_lower_bound_wide()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 5_000).Select(_ => random.NextInt64(0, 60_000_001))
            .Concat([0, 1, 127, 128, 129, 255, 256, 257, 1023, 1024, 59_999_999, 60_000_000]);
        foreach (var value in values)
        {
            var index = LatencyHistogram.IndexOf(value);
            var lower = LatencyHistogram.LowerBoundOf(index);
            var width = LatencyHistogram.WidthOf(index);
            Assert.InRange(value, lower, lower + width - 1);
            Assert.True(width == 1 || width * 128 <= lower, $"bucket of {value}: [{lower}, +{width})");
        }
    }

    [Fact]
    public void Values_below_128_microseconds_are_reported_exactly()
    {
        var histogram = new LatencyHistogram();
        for (var v = 0; v < 128; v++)
        {
            histogram.Record(v);
        }

        Assert.Equal(63, histogram.PercentileMicros(50));
        Assert.Equal(127, histogram.PercentileMicros(100));
        Assert.Equal(0, histogram.PercentileMicros(0));
    }

    [Fact]
    public void Values_beyond_sixty_seconds_are_kept_at_sixty_seconds_not_dropped()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(90_000_000);
        histogram.Record(-5);

        Assert.Equal(2, histogram.Count);
        Assert.Equal(60_000_000, histogram.MaxMicros);
        Assert.Equal(0, histogram.MinMicros);
    }

    [Fact]
    public void An_empty_histogram_reports_zero_everywhere()
    {
        var histogram = new LatencyHistogram();

        Assert.Equal(0, histogram.PercentileMicros(99));
        Assert.Equal(0, histogram.MinMicros);
        Assert.Equal(0, histogram.MaxMicros);
        Assert.Equal(0, histogram.MeanMicros);
    }

    [Fact]
    public void Recording_from_many_threads_at_once_loses_no_sample()
    {
        var histogram = new LatencyHistogram();
        Parallel.For(0, 8, worker =>
        {
            for (var i = 1; i <= 50_000; i++)
            {
                histogram.Record(i);
            }
        });

        Assert.Equal(400_000, histogram.Count);
        Assert.Equal(25_000.5, histogram.MeanMicros, precision: 6);
        Assert.Equal(1, histogram.MinMicros);
        Assert.Equal(50_000, histogram.MaxMicros);
        Assert.Equal(400_000, histogram.CountAtOrAbove(0));
    }
}
