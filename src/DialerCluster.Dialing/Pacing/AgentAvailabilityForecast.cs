namespace DialerCluster.Dialing.Pacing;

/// <summary>
/// How many busy agents will be free within a horizon (see <see cref="Horizon"/>), from how long each has been talking or wrapping up and the
/// observed talk and wrap-up distributions. Feeds <see cref="PacingInput.AgentsExpectedFree"/> and its variance.
/// </summary>
/// <remarks>Reusable: <see cref="Reset"/> before each pacing decision; allocates nothing.</remarks>
public sealed class AgentAvailabilityForecast
{
    private readonly DurationEstimator _talk;
    private readonly DurationEstimator _wrapUp;

    public AgentAvailabilityForecast(DurationEstimator talk, DurationEstimator wrapUp)
    {
        _talk = talk ?? throw new ArgumentNullException(nameof(talk));
        _wrapUp = wrapUp ?? throw new ArgumentNullException(nameof(wrapUp));
    }

    /// <summary>Agents must be free a little before a typical answer: an answer that arrives early and finds nobody
    /// is abandoned after 2 s, while an agent who frees early only waits. Measured: 3 s before the mean time to answer.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromSeconds(3);

    /// <summary>The horizon to forecast over, from the mean time between dial and a person's answer.</summary>
    public static TimeSpan Horizon(TimeSpan meanTimeToAnswer) =>
        meanTimeToAnswer > Lead ? meanTimeToAnswer - Lead : TimeSpan.Zero;

    public double ExpectedFree { get; private set; }

    public double Variance { get; private set; }

    public void Reset()
    {
        ExpectedFree = 0;
        Variance = 0;
    }

    /// <summary>An agent in conversation: free once the talk ends and a typical wrap-up follows.</summary>
    public void AddTalking(TimeSpan talkElapsed, TimeSpan horizon)
    {
        // Convolving talk and wrap-up exactly would cost a pass over both samples per agent; shifting by the mean
        // wrap-up is within a second or two for 10–15 s wrap-ups, well inside a dial's ring time.
        Add(_talk.ProbabilityEndsWithin(talkElapsed, horizon - _wrapUp.Mean));
    }

    public void AddWrappingUp(TimeSpan wrapUpElapsed, TimeSpan horizon) =>
        Add(_wrapUp.ProbabilityEndsWithin(wrapUpElapsed, horizon));

    private void Add(double probability)
    {
        ExpectedFree += probability;
        Variance += probability * (1 - probability);
    }
}
