namespace DialerCluster.Telephony.Simulation;

/// <summary>A random duration, sampled from a seeded <see cref="Random"/> so a simulation replays exactly.</summary>
public abstract record DurationDistribution
{
    private protected DurationDistribution()
    {
    }

    public abstract TimeSpan Mean { get; }

    public static DurationDistribution Fixed(TimeSpan value) => new FixedDuration(Positive(value, nameof(value), allowZero: true));

    /// <summary>Memoryless: the right shape for gaps between independent events, not for conversations.</summary>
    public static DurationDistribution Exponential(TimeSpan mean) => new ExponentialDuration(Positive(mean, nameof(mean)));

    /// <summary>Right-skewed with a long tail, the usual fit for call and ring durations.
    /// <paramref name="coefficientOfVariation"/> is standard deviation / mean.</summary>
    public static DurationDistribution LogNormal(TimeSpan mean, double coefficientOfVariation)
    {
        if (!(coefficientOfVariation > 0) || double.IsInfinity(coefficientOfVariation))
        {
            throw new ArgumentOutOfRangeException(nameof(coefficientOfVariation), coefficientOfVariation, "coefficientOfVariation must be a finite number more than 0.");
        }

        return new LogNormalDuration(Positive(mean, nameof(mean)), coefficientOfVariation);
    }

    public static DurationDistribution Uniform(TimeSpan minimum, TimeSpan maximum)
    {
        Positive(minimum, nameof(minimum), allowZero: true);
        if (maximum < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, "maximum must not be less than minimum.");
        }

        return new UniformDuration(minimum, maximum);
    }

    public abstract TimeSpan Sample(Random random);

    private static TimeSpan Positive(TimeSpan value, string name, bool allowZero = false)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            throw new ArgumentOutOfRangeException(name, value, allowZero ? $"{name} must not be negative." : $"{name} must be positive.");
        }

        return value;
    }

    private sealed record FixedDuration(TimeSpan Value) : DurationDistribution
    {
        public override TimeSpan Mean => Value;

        public override TimeSpan Sample(Random random) => Value;
    }

    private sealed record ExponentialDuration(TimeSpan MeanValue) : DurationDistribution
    {
        public override TimeSpan Mean => MeanValue;

        // 1 - NextDouble() is in (0, 1], so the logarithm is finite.
        public override TimeSpan Sample(Random random) =>
            TimeSpan.FromSeconds(-MeanValue.TotalSeconds * Math.Log(1.0 - random.NextDouble()));
    }

    private sealed record LogNormalDuration(TimeSpan MeanValue, double CoefficientOfVariation) : DurationDistribution
    {
        private readonly double _sigma = Math.Sqrt(Math.Log(1 + (CoefficientOfVariation * CoefficientOfVariation)));

        public override TimeSpan Mean => MeanValue;

        public override TimeSpan Sample(Random random)
        {
            double mu = Math.Log(MeanValue.TotalSeconds) - (_sigma * _sigma / 2);
            return TimeSpan.FromSeconds(Math.Exp(mu + (_sigma * StandardNormal(random))));
        }

        // Box–Muller; one draw pair per sample keeps the random stream easy to reason about.
        private static double StandardNormal(Random random)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }

    private sealed record UniformDuration(TimeSpan Minimum, TimeSpan Maximum) : DurationDistribution
    {
        public override TimeSpan Mean => (Minimum + Maximum) / 2;

        public override TimeSpan Sample(Random random) =>
            Minimum + ((Maximum - Minimum) * random.NextDouble());
    }
}
