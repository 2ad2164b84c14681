using System.Net;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Telephony.Sip;
using DialerCluster.Telephony.Sip.Transport;
using DialerCluster.Testing.Sipp;

namespace DialerCluster.Telephony.Tests.Sip;

/// <summary>Our SIP gateway on a free loopback port, pointed at a SIPp carrier, with every event recorded.</summary>
internal sealed class SipGatewayUnderTest : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly IDisposable _subscription;

    private SipGatewayUnderTest(SipGateway gateway)
    {
        Gateway = gateway;
        _subscription = gateway.Subscribe(Recorder);
    }

    public SipGateway Gateway { get; }

    public CallRecorder Recorder { get; } = new();

    public static Task<SipGatewayUnderTest> StartAsync(SippServer carrier, Func<SipOptions, SipOptions>? configure = null, TimeProvider? time = null) =>
        StartAsync(carrier.Trunk, carrier.EndPoint.Address, configure, time, carrier.Tcp);

    public static async Task<SipGatewayUnderTest> StartAsync(string trunk, IPAddress loopback, Func<SipOptions, SipOptions>? configure, TimeProvider? time, bool tcp)
    {
        var (first, last) = FreePorts.TakeRange(loopback, 40);
        SipHostPort.TryParse(trunk, out var trunkAddress);
        var options = new SipOptions
        {
            Trunk = trunkAddress!,
            Transport = tcp ? SipTransportKind.Tcp : SipTransportKind.Udp,
            Bind = new IPEndPoint(loopback, 0),
            RtpFirstPort = first,
            RtpLastPort = last,
            MaxCallsPerSecond = 1000,

            // SIPp counts every OPTIONS as a call of its scenario; the ping has tests of its own.
            OptionsInterval = Timeout.InfiniteTimeSpan,
        };
        var gateway = new SipGateway(configure?.Invoke(options) ?? options, time ?? TimeProvider.System);
        await gateway.StartAsync(CancellationToken.None);
        return new SipGatewayUnderTest(gateway);
    }

    public ValueTask<CallId> DialAsync(int ringSeconds = 30, string number = "+15550100001", string correlation = "case-1") =>
        Gateway.OriginateAsync(new OriginateRequest(number, "+15550100000", TimeSpan.FromSeconds(ringSeconds), correlation), CancellationToken.None);

    /// <summary>What both sides saw, for an assertion message.</summary>
    public string Report(SippResult sipp) =>
        $"gateway {Gateway.Statistics}\nevents: {string.Join(", ", Recorder.Events)}\n{sipp.Report}";

    /// <summary>Awaits <paramref name="wait"/>; on a time-out, stops the carrier and fails with what SIPp saw, which is where the reason is.</summary>
    public async Task<T> Expect<T>(Task<T> wait, SippServer carrier)
    {
        try
        {
            return await wait;
        }
        catch (TimeoutException ex)
        {
            var sipp = await carrier.StopAsync();
            throw new TimeoutException(ex.Message + "\n" + Report(sipp), ex);
        }
    }

    /// <summary>The event types of a call, in order, e.g. [CallRinging, CallAnswered, CallHungUp].</summary>
    public Type[] Kinds(CallId call) => [.. Recorder.Of(call).Select(e => e.GetType())];

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await Gateway.DisposeAsync();
    }
}
