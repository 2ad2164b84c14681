using System.Threading.Channels;
using DialerCluster.LoadTests.Dialer;

namespace DialerCluster.LoadTests.Scenarios;

/// <summary>
/// Free agents for the open model: an arrival takes one (waiting, inside its measured latency, if all are busy)
/// and gives it back when its iteration ends, so one agent never runs two next-case → complete cycles at once.
/// </summary>
internal sealed class AgentPool
{
    private readonly Channel<AgentSeat> _free = Channel.CreateUnbounded<AgentSeat>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    public AgentPool(IEnumerable<AgentSeat> seats)
    {
        foreach (var seat in seats)
        {
            _free.Writer.TryWrite(seat);
        }
    }

    public ValueTask<AgentSeat> TakeAsync(CancellationToken cancellationToken) => _free.Reader.ReadAsync(cancellationToken);

    public void Return(AgentSeat seat) => _free.Writer.TryWrite(seat);
}
