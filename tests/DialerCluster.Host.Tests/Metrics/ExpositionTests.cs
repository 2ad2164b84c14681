using System.Diagnostics.Metrics;
using DialerCluster.Host.Metrics;

namespace DialerCluster.Host.Tests.Metrics;

public sealed class ExpositionTests : IDisposable
{
    // Each test listens to its own Meter instance only, so tests running in parallel never see each other.
    private readonly Meter _meter = new("DialerCluster.Tests.Exposition");
    private readonly MetricsCollector _collector;

    public ExpositionTests() => _collector = new MetricsCollector(meter => ReferenceEquals(meter, _meter));

    public void Dispose()
    {
        _collector.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void Counter_is_exposed_with_total_suffix_help_type_and_one_line_per_tag_set()
    {
        var calls = _meter.CreateCounter<long>("dialercluster.test.calls", "{call}", "Calls handled.");
        calls.Add(2, new("grain_type", "Campaign"), new("outcome", "ok"));
        calls.Add(3, new("outcome", "ok"), new("grain_type", "Campaign"));
        calls.Add(1, new("grain_type", "Agent"), new("outcome", "error"));

        Assert.Equal(
            """
            # HELP dialercluster_test_calls_total Calls handled.
            # TYPE dialercluster_test_calls_total counter
            dialercluster_test_calls_total{grain_type="Campaign",outcome="ok"} 5
            dialercluster_test_calls_total{grain_type="Agent",outcome="error"} 1

            """,
            _collector.Scrape());
    }

    [Fact]
    public void Double_counter_sums_fractions_and_ignores_negative_adds()
    {
        var talk = _meter.CreateCounter<double>("dialercluster.test.talk.time", "s", "Talk time.");
        talk.Add(1.5);
        talk.Add(0.25);
        talk.Add(-7);

        Assert.Equal(
            """
            # HELP dialercluster_test_talk_time_seconds_total Talk time.
            # TYPE dialercluster_test_talk_time_seconds_total counter
            dialercluster_test_talk_time_seconds_total 1.75

            """,
            _collector.Scrape());
    }

    [Fact]
    public void UpDownCounter_and_Gauge_are_gauges_without_total()
    {
        var queue = _meter.CreateUpDownCounter<int>("dialercluster.test.queue.length", "{case}", "Cases waiting.");
        queue.Add(5, new KeyValuePair<string, object?>("campaign", "spring"));
        queue.Add(-2, new KeyValuePair<string, object?>("campaign", "spring"));
        var ratio = _meter.CreateGauge<double>("dialercluster.test.abandon.rate", "1", "Abandoned share of answered calls.");
        ratio.Record(0.05);
        ratio.Record(0.02);

        Assert.Equal(
            """
            # HELP dialercluster_test_abandon_rate_ratio Abandoned share of answered calls.
            # TYPE dialercluster_test_abandon_rate_ratio gauge
            dialercluster_test_abandon_rate_ratio 0.02
            # HELP dialercluster_test_queue_length Cases waiting.
            # TYPE dialercluster_test_queue_length gauge
            dialercluster_test_queue_length{campaign="spring"} 3

            """,
            _collector.Scrape());
    }

    [Fact]
    public void Histogram_has_cumulative_buckets_on_advised_bounds_an_Inf_bucket_equal_to_count_and_a_sum()
    {
        var duration = _meter.CreateHistogram<double>(
            "dialercluster.test.call.duration",
            "s",
            "Call duration.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.125, 1] });
        KeyValuePair<string, object?> caseGrain = new("grain_type", "Case");
        duration.Record(0.0625, caseGrain);
        duration.Record(0.125, caseGrain); // a bound is inclusive: le means "less or equal"
        duration.Record(0.5, caseGrain);
        duration.Record(2, caseGrain);

        Assert.Equal(
            """
            # HELP dialercluster_test_call_duration_seconds Call duration.
            # TYPE dialercluster_test_call_duration_seconds histogram
            dialercluster_test_call_duration_seconds_bucket{grain_type="Case",le="0.125"} 2
            dialercluster_test_call_duration_seconds_bucket{grain_type="Case",le="1"} 3
            dialercluster_test_call_duration_seconds_bucket{grain_type="Case",le="+Inf"} 4
            dialercluster_test_call_duration_seconds_sum{grain_type="Case"} 2.6875
            dialercluster_test_call_duration_seconds_count{grain_type="Case"} 4

            """,
            _collector.Scrape());
    }

    [Fact]
    public void Histogram_without_advice_in_seconds_uses_the_default_bounds_from_100_microseconds_to_10_seconds()
    {
        var duration = _meter.CreateHistogram<double>("dialercluster.test.turn.duration", "s", "Turn duration.");
        duration.Record(0.003);

        var bucketLines = Lines(_collector.Scrape()).Where(line => line.Contains("_bucket", StringComparison.Ordinal)).ToList();
        Assert.Equal(InstrumentShape.DefaultSecondsBounds.Count + 1, bucketLines.Count);
        Assert.StartsWith("dialercluster_test_turn_duration_seconds_bucket{le=\"0.0001\"} 0", bucketLines[0], StringComparison.Ordinal);
        Assert.Equal("dialercluster_test_turn_duration_seconds_bucket{le=\"0.0025\"} 0", bucketLines[4]);
        Assert.Equal("dialercluster_test_turn_duration_seconds_bucket{le=\"0.005\"} 1", bucketLines[5]);
        Assert.Equal("dialercluster_test_turn_duration_seconds_bucket{le=\"10\"} 1", bucketLines[^2]);
        Assert.Equal("dialercluster_test_turn_duration_seconds_bucket{le=\"+Inf\"} 1", bucketLines[^1]);
    }

    [Fact]
    public void Buckets_never_decrease_and_Inf_equals_count_for_any_measurements()
    {
        var duration = _meter.CreateHistogram<double>("dialercluster.test.wait", "s", "Wait.");
        var random = new Random(20240611);
        for (var i = 0; i < 5000; i++)
        {
            duration.Record(Math.Pow(10, (random.NextDouble() * 7) - 5) * (random.Next(20) == 0 ? -1 : 1));
        }

        var lines = Lines(_collector.Scrape());
        var buckets = lines.Where(line => line.Contains("_bucket", StringComparison.Ordinal)).Select(Value).ToList();
        for (var i = 1; i < buckets.Count; i++)
        {
            Assert.True(buckets[i] >= buckets[i - 1], $"bucket {i} ({buckets[i]}) is below bucket {i - 1} ({buckets[i - 1]})");
        }

        Assert.Equal(5000, buckets[^1]);
        Assert.Equal(buckets[^1], Value(lines.Single(line => line.StartsWith("dialercluster_test_wait_seconds_count", StringComparison.Ordinal))));
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline_and_help_escapes_backslash_and_newline()
    {
        var events = _meter.CreateCounter<long>("dialercluster.test.events", null, "Events\nby \"source\" path C:\\dialer.");
        events.Add(1, new KeyValuePair<string, object?>("source", "C:\\leads \"spring\"\nlist"));

        Assert.Equal(
            """
            # HELP dialercluster_test_events_total Events\nby "source" path C:\\dialer.
            # TYPE dialercluster_test_events_total counter
            dialercluster_test_events_total{source="C:\\leads \"spring\"\nlist"} 1

            """,
            _collector.Scrape());
    }

    [Fact]
    public void Tag_keys_are_sanitised_sorted_and_non_string_values_use_invariant_formatting()
    {
        var attempts = _meter.CreateCounter<long>("dialercluster.test.attempts", null, "Attempts.");
        attempts.Add(1, new("sip.status", 486), new("agent.away", true), new("weight", 1.5));

        Assert.Contains(
            "dialercluster_test_attempts_total{agent_away=\"true\",sip_status=\"486\",weight=\"1.5\"} 1\n",
            _collector.Scrape(),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Instrument_without_description_gets_a_help_line_naming_instrument_and_meter()
    {
        _meter.CreateCounter<long>("dialercluster.test.silent").Add(1);

        Assert.StartsWith(
            "# HELP dialercluster_test_silent_total dialercluster.test.silent (DialerCluster.Tests.Exposition)\n",
            _collector.Scrape(),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Observable_instruments_are_collected_at_scrape_time_and_series_no_longer_reported_disappear()
    {
        var waiting = new Dictionary<string, int> { ["spring"] = 4, ["autumn"] = 1 };
        _meter.CreateObservableGauge(
            "dialercluster.test.waiting",
            () => waiting.Select(pair => new Measurement<int>(pair.Value, new KeyValuePair<string, object?>("campaign", pair.Key))),
            "{case}",
            "Waiting cases.");
        var dialed = 10L;
        _meter.CreateObservableCounter("dialercluster.test.dialed", () => dialed, "{case}", "Dialed cases.");

        var first = _collector.Scrape();
        Assert.Contains("dialercluster_test_waiting{campaign=\"spring\"} 4\n", first, StringComparison.Ordinal);
        Assert.Contains("dialercluster_test_waiting{campaign=\"autumn\"} 1\n", first, StringComparison.Ordinal);
        Assert.Contains("# TYPE dialercluster_test_dialed_total counter\ndialercluster_test_dialed_total 10\n", first, StringComparison.Ordinal);

        waiting.Remove("autumn");
        waiting["spring"] = 2;
        dialed = 12;
        var second = _collector.Scrape();
        Assert.Contains("dialercluster_test_waiting{campaign=\"spring\"} 2\n", second, StringComparison.Ordinal);
        Assert.DoesNotContain("autumn", second, StringComparison.Ordinal);
        Assert.Contains("dialercluster_test_dialed_total 12\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Families_are_sorted_by_name_and_an_empty_family_is_not_exposed()
    {
        _meter.CreateCounter<long>("dialercluster.test.b").Add(1);
        _meter.CreateCounter<long>("dialercluster.test.never");
        _meter.CreateCounter<long>("dialercluster.test.a").Add(1);

        var names = Lines(_collector.Scrape()).Where(line => line.StartsWith("# TYPE", StringComparison.Ordinal)).ToList();
        Assert.Equal(["# TYPE dialercluster_test_a_total counter", "# TYPE dialercluster_test_b_total counter"], names);
    }

    [Fact]
    public void Disposed_meter_takes_its_families_out_of_the_exposition()
    {
        _meter.CreateCounter<long>("dialercluster.test.gone").Add(1);
        Assert.Contains("dialercluster_test_gone_total 1", _collector.Scrape(), StringComparison.Ordinal);

        _meter.Dispose();

        Assert.Equal("", _collector.Scrape());
    }

    [Fact]
    public void Concurrent_recording_loses_no_measurement()
    {
        var calls = _meter.CreateCounter<long>("dialercluster.test.concurrent.calls", "{call}", "Calls.");
        var duration = _meter.CreateHistogram<double>("dialercluster.test.concurrent.duration", "s", "Duration.");
        const int Threads = 8;
        const int PerThread = 50_000;

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            var type = new KeyValuePair<string, object?>("grain_type", thread % 2 == 0 ? "Agent" : "Campaign");
            for (var i = 0; i < PerThread; i++)
            {
                calls.Add(1, type, new KeyValuePair<string, object?>("outcome", "ok"));
                duration.Record(0.25, type);
            }
        });

        var text = _collector.Scrape();
        const int PerType = Threads / 2 * PerThread;
        Assert.Contains($"dialercluster_test_concurrent_calls_total{{grain_type=\"Agent\",outcome=\"ok\"}} {PerType}\n", text, StringComparison.Ordinal);
        Assert.Contains($"dialercluster_test_concurrent_calls_total{{grain_type=\"Campaign\",outcome=\"ok\"}} {PerType}\n", text, StringComparison.Ordinal);
        Assert.Contains($"dialercluster_test_concurrent_duration_seconds_count{{grain_type=\"Agent\"}} {PerType}\n", text, StringComparison.Ordinal);
        Assert.Contains($"dialercluster_test_concurrent_duration_seconds_sum{{grain_type=\"Agent\"}} {PerType * 0.25}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Recording_into_an_existing_series_allocates_nothing()
    {
        var calls = _meter.CreateCounter<long>("dialercluster.test.hot.calls", "{call}", "Calls.");
        var duration = _meter.CreateHistogram<double>("dialercluster.test.hot.duration", "s", "Duration.");
        KeyValuePair<string, object?> type = new("grain_type", "Campaign");
        KeyValuePair<string, object?> outcome = new("outcome", "ok");
        for (var i = 0; i < 1000; i++)
        {
            calls.Add(1, type, outcome);
            duration.Record(0.001, type);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            calls.Add(1, type, outcome);
            duration.Record(0.001, type);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Equal_tag_values_in_different_string_instances_and_orders_share_one_series()
    {
        var calls = _meter.CreateCounter<long>("dialercluster.test.shared.calls", null, "Calls.");
        for (var i = 0; i < 100; i++)
        {
            // Fresh instances defeat the reference cache; alternating series collide in it on purpose.
            calls.Add(1, new(new string("grain_type".AsSpan()), new string("Campaign".AsSpan())), new("outcome", "ok"));
            calls.Add(1, new("outcome", "ok"), new("grain_type", "Campaign"));
            calls.Add(1, new("grain_type", "Agent"), new("outcome", "ok"));
        }

        Assert.Equal(
            """
            # HELP dialercluster_test_shared_calls_total Calls.
            # TYPE dialercluster_test_shared_calls_total counter
            dialercluster_test_shared_calls_total{grain_type="Campaign",outcome="ok"} 200
            dialercluster_test_shared_calls_total{grain_type="Agent",outcome="ok"} 100

            """,
            _collector.Scrape());
    }

    [Fact]
    public void Instruments_of_different_kinds_mapping_to_one_name_keep_the_first_and_the_scrape_stays_valid()
    {
        _meter.CreateUpDownCounter<long>("dialercluster.test.clash").Add(4);
        _meter.CreateHistogram<double>("dialercluster.test.clash").Record(1);

        Assert.Equal(
            """
            # HELP dialercluster_test_clash dialercluster.test.clash (DialerCluster.Tests.Exposition)
            # TYPE dialercluster_test_clash gauge
            dialercluster_test_clash 4

            """,
            _collector.Scrape());
    }

    [Fact]
    public void Tag_sets_past_the_series_limit_fold_into_one_overflow_series()
    {
        var calls = _meter.CreateCounter<long>("dialercluster.test.per.case", null, "Per case.");
        for (var i = 0; i < MetricFamily.MaxSeries + 10; i++)
        {
            calls.Add(1, new KeyValuePair<string, object?>("case_id", i));
        }

        var lines = Lines(_collector.Scrape()).Where(line => !line.StartsWith('#')).ToList();
        Assert.Equal(MetricFamily.MaxSeries + 1, lines.Count);
        Assert.Equal("dialercluster_test_per_case_total{otel_metric_overflow=\"true\"} 10", lines[^1]);
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static double Value(string line) =>
        double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
