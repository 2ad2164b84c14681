namespace DialerCluster.Telephony.Sip.Rtp;

/// <summary>
/// The configured RTP port range, handed out per call: even ports only (RTP on even, RTCP on the odd one above,
/// RFC 3550 section 11), least recently used first so a late packet of an ended call rarely meets a new one.
/// </summary>
internal sealed class RtpPortPool
{
    private readonly Lock _gate = new();
    private readonly Queue<int> _free = new();
    private readonly HashSet<int> _taken = [];

    public RtpPortPool(int first, int last)
    {
        if (first < 1024 || last > 65535 || last < first)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"RTP ports must be a range within 1024-65535, not {first}-{last}.");
        }

        for (var port = first + (first % 2); port + 1 <= last; port += 2)
        {
            _free.Enqueue(port);
        }

        if (_free.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"RTP range {first}-{last} holds no even port with its odd neighbour.");
        }

        Capacity = _free.Count;
    }

    /// <summary>How many calls can have media at once.</summary>
    public int Capacity { get; }

    public int Available
    {
        get
        {
            lock (_gate)
            {
                return _free.Count;
            }
        }
    }

    public bool TryTake(out int port)
    {
        lock (_gate)
        {
            if (_free.TryDequeue(out port))
            {
                _taken.Add(port);
                return true;
            }

            return false;
        }
    }

    /// <summary>Gives a port back; a port not taken (or given back twice) is ignored.</summary>
    public void Return(int port)
    {
        lock (_gate)
        {
            if (_taken.Remove(port))
            {
                _free.Enqueue(port);
            }
        }
    }
}
