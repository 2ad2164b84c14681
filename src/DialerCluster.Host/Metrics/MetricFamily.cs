using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;

namespace DialerCluster.Host.Metrics;

/// <summary>How measurements of an instrument combine into a series.</summary>
internal enum Aggregation
{
    /// <summary>Counter, UpDownCounter: measurements are increments.</summary>
    Sum,

    /// <summary>Gauge: the last measurement wins.</summary>
    LastValue,

    /// <summary>Observable instruments: the value reported during the current scrape (a total for counters).</summary>
    Observed,

    Histogram,
}

/// <summary>
/// One Prometheus metric family (HELP, TYPE and its series), fed by one or more instruments of the same name
/// (a meter may exist once per host container, e.g. ASP.NET Core's, so several instruments can share a name).
/// </summary>
internal sealed class MetricFamily
{
    /// <summary>
    /// Past this many series a family folds new tag sets into one overflow series (OpenTelemetry's cardinality
    /// limit and its otel_metric_overflow label): a tag carrying a case id must not eat the node's memory.
    /// </summary>
    public const int MaxSeries = 2000;

    /// <summary>Slots of the identity cache in front of the series table (a power of two).</summary>
    private const int RecentSlots = 32;

    private readonly ConcurrentDictionary<SeriesKey, MetricSeries> _series = new(SeriesKeyComparer.Instance);
    private readonly ConcurrentDictionary<SeriesKey, MetricSeries>.AlternateLookup<TagView> _lookup;
    private readonly SeriesKey?[] _recent = new SeriesKey?[RecentSlots];
    private readonly Lock _gate = new();
    private readonly double[] _bounds;
    private readonly string[] _leLabels;
    private MetricSeries? _unlabeled;
    private MetricSeries? _overflow;
    private MetricSeries[] _ordered = [];
    private int _seriesCount;

    public MetricFamily(string name, string help, PrometheusType type, Aggregation aggregation, double[]? bounds = null)
    {
        Name = name;
        Help = help;
        Type = type;
        Aggregation = aggregation;
        _bounds = bounds ?? [];
        _leLabels = [.. _bounds.Select(FormatLe), "le=\"+Inf\""];
        _lookup = _series.GetAlternateLookup<TagView>();
    }

    public string Name { get; }

    public string Help { get; }

    public PrometheusType Type { get; }

    public Aggregation Aggregation { get; }

    /// <summary>Instruments currently feeding this family; when it drops to zero the family leaves the exposition.</summary>
    public int InstrumentCount { get; set; }

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Find(tags).Record(value);

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Find(tags).Record(value);

    /// <summary>Called before observable instruments report, so series nobody reports any more are not exported.</summary>
    public void BeginObservation()
    {
        foreach (var series in Volatile.Read(ref _ordered))
        {
            series.Observed = false;
        }
    }

    public void AppendTo(StringBuilder builder)
    {
        var series = Volatile.Read(ref _ordered);
        var observedOnly = Aggregation == Aggregation.Observed;
        var any = false;
        foreach (var one in series)
        {
            if (!observedOnly || one.Observed)
            {
                any = true;
                break;
            }
        }

        if (!any)
        {
            return;
        }

        PrometheusText.AppendHeader(builder, Name, Help, Type);
        foreach (var one in series)
        {
            if (!observedOnly || one.Observed)
            {
                one.AppendSamples(builder, Name);
            }
        }
    }

    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = tags.IsEmpty ? Volatile.Read(ref _unlabeled) ?? AddUnlabeled() : FindLabeled(tags);
        if (Aggregation == Aggregation.Observed)
        {
            series.Observed = true;
        }

        return series;
    }

    /// <summary>
    /// Measured on the grain-call path: hashing the tag strings for the table costs several times more than
    /// the Interlocked add itself, so a direct-mapped cache keyed on the identity of the tag values answers
    /// first. It only ever holds keys already in the table, so a miss allocates nothing either.
    /// </summary>
    private MetricSeries FindLabeled(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var slot = IdentitySlot(tags);
        var recent = Volatile.Read(ref _recent[slot]);
        if (recent is not null && recent.HasSameReferences(tags))
        {
            return recent.Series!;
        }

        if (_lookup.TryGetValue(new TagView(tags), out var key, out var series))
        {
            if (key.HasSameReferences(tags))
            {
                Volatile.Write(ref _recent[slot], key);
            }

            return series;
        }

        // Once the table is full every new tag set lands in the overflow series: no lock for that case.
        return Volatile.Read(ref _overflow) ?? Add(tags);
    }

    private static int IdentitySlot(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = 0;
        foreach (var tag in tags)
        {
            hash = unchecked((hash * 31) + RuntimeHelpers.GetHashCode(tag.Value));
        }

        return hash & (RecentSlots - 1);
    }

    private MetricSeries AddUnlabeled()
    {
        lock (_gate)
        {
            if (_unlabeled is null)
            {
                var series = NewSeries("");
                Append(series);
                Volatile.Write(ref _unlabeled, series);
            }

            return _unlabeled;
        }
    }

    private MetricSeries Add(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
        {
            var view = new TagView(tags);
            if (_lookup.TryGetValue(view, out var existing))
            {
                return existing;
            }

            if (_seriesCount >= MaxSeries)
            {
                if (_overflow is null)
                {
                    var overflow = NewSeries("otel_metric_overflow=\"true\"");
                    Append(overflow);
                    Volatile.Write(ref _overflow, overflow);
                }

                return _overflow;
            }

            var series = NewSeries(RenderLabels(tags));
            var key = SeriesKeyComparer.Instance.Create(view);
            key.Series = series;
            _series.TryAdd(key, series);
            _seriesCount++;
            Append(series);
            return series;
        }
    }

    private void Append(MetricSeries series) => Volatile.Write(ref _ordered, [.. _ordered, series]);

    private MetricSeries NewSeries(string labels) => Aggregation switch
    {
        Aggregation.Sum => new SumSeries(labels, Type == PrometheusType.Counter),
        Aggregation.LastValue or Aggregation.Observed => new LastValueSeries(labels),
        Aggregation.Histogram => new HistogramSeries(labels, _bounds, _leLabels),
        _ => throw new InvalidOperationException($"Unknown aggregation {Aggregation} for metric {Name}."),
    };

    /// <summary>
    /// Label names sanitised and sorted; tags that sanitise to the same label name are joined with ';' (as
    /// OpenTelemetry does) because a duplicate label name makes the whole scrape unparsable.
    /// </summary>
    private string RenderLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            var name = PrometheusNaming.LabelName(tag.Key);
            if (Type == PrometheusType.Histogram && name == "le")
            {
                // "le" is the bucket bound of a histogram; promtool rejects it as a user label.
                name = "le_tag";
            }

            var value = PrometheusText.FormatTagValue(tag.Value);
            labels[name] = labels.TryGetValue(name, out var earlier) ? $"{earlier};{value}" : value;
        }

        var builder = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(name).Append("=\"");
            PrometheusText.AppendLabelValue(builder, value);
            builder.Append('"');
        }

        return builder.ToString();
    }

    private static string FormatLe(double bound)
    {
        var builder = new StringBuilder("le=\"");
        PrometheusText.AppendNumber(builder, bound);
        return builder.Append('"').ToString();
    }
}
