namespace DialerCluster.Host.Metrics;

/// <summary>
/// Who may read /metrics and how often the campaign figures are sampled (<c>Metrics:*</c>).
/// </summary>
/// <param name="Url">
/// <c>Metrics:Url</c>, e.g. <c>http://0.0.0.0:9464</c>: the node also listens there and serves /metrics on that port
/// only (the main port answers 404 for it, and the metrics port nothing else).
/// </param>
/// <param name="ScrapeToken">
/// <c>Metrics:ScrapeToken</c>: a scrape must send <c>Authorization: Bearer &lt;token&gt;</c> (Prometheus's
/// <c>authorization: credentials</c>).
/// </param>
/// <param name="SampleInterval"><c>Metrics:SampleSeconds</c>: how often the abandon rates are read from the calls table.</param>
/// <remarks>With neither Url nor ScrapeToken (the default), /metrics is on the main port for loopback clients only.</remarks>
internal sealed record MetricsOptions(Uri? Url, string? ScrapeToken, TimeSpan SampleInterval)
{
    public const int MinimumTokenLength = 16;

    public static MetricsOptions FromConfiguration(IConfigurationSection section)
    {
        Uri? url = null;
        if (section["Url"] is { Length: > 0 } text)
        {
            // A port of its own: the main port is told apart from it by the connection's local port.
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out url) || url.Scheme is not ("http" or "https") || url.IsDefaultPort || url.AbsolutePath != "/")
            {
                throw new InvalidOperationException($"Metrics:Url must be an http(s) URL with a port of its own and no path, such as http://0.0.0.0:9464, not '{text}'.");
            }
        }

        var token = section["ScrapeToken"] is { Length: > 0 } value ? value.Trim() : null;
        if (token is { Length: < MinimumTokenLength })
        {
            throw new InvalidOperationException($"Metrics:ScrapeToken must be at least {MinimumTokenLength} characters.");
        }

        var seconds = section.GetValue<double?>("SampleSeconds") ?? Dialing.Monitoring.CampaignFiguresSampler.DefaultInterval.TotalSeconds;
        if (seconds is < 1 or > 3600 || double.IsNaN(seconds))
        {
            throw new InvalidOperationException($"Metrics:SampleSeconds must be from 1 to 3600, not {seconds}.");
        }

        return new MetricsOptions(url, token, TimeSpan.FromSeconds(seconds));
    }
}
