using DialerCluster.Dialing.Telephony;
using DialerCluster.Telephony.DialLog;
using DialerCluster.Telephony.Simulation;

namespace DialerCluster.Telephony.Tests.DialLog;

public sealed class DialLogGatewayTests : IDisposable
{
    private static readonly TimeSpan Ring = TimeSpan.FromSeconds(25);
    private readonly string _folder = Directory.CreateTempSubdirectory("dial-log-tests-").FullName;
    private readonly VirtualClock _clock = new(CarrierHarness.T0);

    private string LogFile => Path.Combine(_folder, "nested", "dials.log");

    [Fact]
    public async Task Every_originate_is_a_line_with_its_time_number_correlation_and_node_readable_while_the_node_runs()
    {
        using var gateway = new DialLogGateway(Carrier(), LogFile, "127.0.0.1:11111", _clock);

        await gateway.OriginateAsync(new OriginateRequest("+442071000001", "+15550100000", Ring, "7/1"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(1234));
        await gateway.OriginateAsync(new OriginateRequest("+442071000002", "+15550100000", Ring, "7/2"), CancellationToken.None);

        // Read with the gateway still open: each line was flushed as it was written.
        Assert.Equal(
            [
                new DialLogEntry(CarrierHarness.T0, "+442071000001", "7/1", "127.0.0.1:11111"),
                new DialLogEntry(CarrierHarness.T0.AddMilliseconds(1234), "+442071000002", "7/2", "127.0.0.1:11111"),
            ],
            DialLogEntry.ReadAll(LogFile));
    }

    [Fact]
    public async Task A_restarted_node_appends_to_the_dials_it_logged_before()
    {
        using (var before = new DialLogGateway(Carrier(), LogFile, "node-a", _clock))
        {
            await before.OriginateAsync(new OriginateRequest("+442071000001", "+15550100000", Ring, "7/1"), CancellationToken.None);
        }

        using var after = new DialLogGateway(Carrier(), LogFile, "node-a", _clock);
        await after.OriginateAsync(new OriginateRequest("+442071000002", "+15550100000", Ring, "8/1"), CancellationToken.None);

        Assert.Equal(["7/1", "8/1"], DialLogEntry.ReadAll(LogFile).Select(e => e.CorrelationId));
    }

    [Fact]
    public async Task The_calls_themselves_are_the_carriers()
    {
        var carrier = Carrier();
        using var gateway = new DialLogGateway(carrier, LogFile, "node-a", _clock);
        var events = new List<CallEvent>();
        using var subscription = gateway.Subscribe(new Recorder(events));

        var call = await gateway.OriginateAsync(new OriginateRequest("+442071000001", "+15550100000", Ring, "7/1"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(ConnectOutcome.Connected, await gateway.ConnectToAgentAsync(call, new AgentEndpoint("agent-1"), CancellationToken.None));
        await gateway.HangUpAsync(call, HangUpParty.Agent, CancellationToken.None);

        Assert.Equal(1, carrier.Statistics.Originated);
        Assert.Equal(1, carrier.Statistics.Connected);
        Assert.IsType<CallHungUp>(events[^1]);
        Assert.All(events, e => Assert.Equal(call, e.CallId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-01-05T09:00:00.0000000Z\t+442071000001\t7/1")]
    [InlineData("2026-01-05 09:00:00\t+442071000001\t7/1\tnode-a")]
    [InlineData("2026-01-05T09:00:00.0000000Z\t\t7/1\tnode-a")]
    [InlineData("2026-01-05T09:00:00.00")]
    public void A_line_cut_short_or_not_written_by_the_log_is_not_read_as_a_dial(string line) =>
        Assert.Null(DialLogEntry.TryParse(line));

    [Fact]
    public void A_line_reads_back_as_it_was_written()
    {
        var entry = new DialLogEntry(new DateTimeOffset(2026, 12, 7, 10, 11, 12, TimeSpan.FromHours(1)).AddTicks(1234567), "+15551234567", "3/17179869185", "10.0.0.7:11111");

        Assert.Equal(entry, DialLogEntry.TryParse(entry.ToLine()));
        Assert.StartsWith("2026-12-07T09:11:12.1234567Z\t", entry.ToLine(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Every call answered by a person 3 s after the dial, who waits a minute for an agent.</summary>
    private SimulatedCarrier Carrier() => new(
        new SimulatedCarrierOptions
        {
            AnswerRate = 1,
            MachineRate = 0,
            BusyRate = 0,
            FailureRate = 0,
            PostDialDelay = DurationDistribution.Fixed(TimeSpan.FromSeconds(1)),
            RingTime = DurationDistribution.Fixed(TimeSpan.FromSeconds(2)),
            Patience = DurationDistribution.Fixed(TimeSpan.FromMinutes(1)),
        },
        _clock);

    private sealed class Recorder(List<CallEvent> events) : ICallEventObserver
    {
        public void OnCallEvent(CallEvent callEvent) => events.Add(callEvent);
    }
}
