namespace DialerCluster.Host.Metrics;

internal enum PrometheusType
{
    Counter,
    Gauge,
    Histogram,
}
