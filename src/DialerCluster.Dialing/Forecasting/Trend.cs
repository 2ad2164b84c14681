namespace DialerCluster.Dialing.Forecasting;

/// <summary>A straight line through equally spaced points (least squares), read further along; never below zero.</summary>
public static class Trend
{
    /// <summary>
    /// The line through <paramref name="history"/> (x = 0, 1, 2 …) at x = history.Count + <paramref name="ahead"/>.
    /// One point or none: that point, or zero.
    /// </summary>
    public static double Extend(IReadOnlyList<double> history, int ahead)
    {
        ArgumentNullException.ThrowIfNull(history);
        var n = history.Count;
        if (n == 0)
        {
            return 0;
        }

        if (n == 1)
        {
            return Math.Max(0, history[0]);
        }

        var meanX = (n - 1) / 2.0;
        var meanY = history.Average();
        double covariance = 0, variance = 0;
        for (var x = 0; x < n; x++)
        {
            covariance += (x - meanX) * (history[x] - meanY);
            variance += (x - meanX) * (x - meanX);
        }

        var slope = covariance / variance;
        return Math.Max(0, meanY + (slope * (n + ahead - meanX)));
    }
}
