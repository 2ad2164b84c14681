using DialerCluster.Dialing.Telephony;

namespace DialerCluster.Telephony.DialLog;

/// <summary>
/// A carrier that writes down every call it is asked to place, one <see cref="DialLogEntry"/> line per originate,
/// flushed to the file as it is written, so the dials of every node of a cluster can be checked afterwards (no number
/// dialed twice, nothing dialed by a node that lost its campaign). Everything else goes straight to the carrier.
/// </summary>
/// <remarks>
/// The line is written before the carrier takes the call: a node killed between the two leaves a line for a call
/// that was never placed, never a call without its line. A log that may over-report can still prove that a number
/// was not dialed twice.
/// </remarks>
public sealed class DialLogGateway : ITelephonyGateway, IDisposable
{
    private readonly ITelephonyGateway _carrier;
    private readonly string _node;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;

    public DialLogGateway(ITelephonyGateway carrier, string path, string node, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentNullException.ThrowIfNull(time);
        _carrier = carrier;
        _node = node;
        _time = time;
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);

        // Appended, never truncated: a restarted node adds to what it dialed before it died.
        var stream = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream) { AutoFlush = true };
    }

    public ValueTask<CallId> OriginateAsync(OriginateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var line = new DialLogEntry(_time.GetUtcNow(), request.Number, request.CorrelationId, _node).ToLine();
        lock (_gate)
        {
            // AutoFlush: the line is in the operating system's hands before the call is placed, so it outlives a kill -9.
            _writer.WriteLine(line);
        }

        return _carrier.OriginateAsync(request, cancellationToken);
    }

    public ValueTask<ConnectOutcome> ConnectToAgentAsync(CallId call, AgentEndpoint agent, CancellationToken cancellationToken) =>
        _carrier.ConnectToAgentAsync(call, agent, cancellationToken);

    public ValueTask HangUpAsync(CallId call, HangUpParty by, CancellationToken cancellationToken) =>
        _carrier.HangUpAsync(call, by, cancellationToken);

    public IDisposable Subscribe(ICallEventObserver observer) => _carrier.Subscribe(observer);

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }

        (_carrier as IDisposable)?.Dispose();
    }
}
