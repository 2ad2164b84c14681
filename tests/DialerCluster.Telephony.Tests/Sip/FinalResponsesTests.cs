using DialerCluster.Dialing.Telephony;
using DialerCluster.Telephony.Sip.Dialogs;

namespace DialerCluster.Telephony.Tests.Sip;

/// <summary>The final-response table of the issue, checked for every status from 300 to 699 and every cancel cause.</summary>
public sealed class FinalResponsesTests
{
    private static readonly CallId Call = new("c1");
    private static readonly DateTimeOffset At = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("none")]
    [InlineData("ring timeout")]
    [InlineData("released by the system")]
    [InlineData("released by the agent")]
    public void Every_final_status_maps_to_exactly_the_event_of_the_table(string why)
    {
        var cause = why switch
        {
            "none" => CancelCause.None,
            "ring timeout" => CancelCause.NoAnswer,
            "released by the system" => CancelCause.HangUp(HangUpParty.System),
            _ => CancelCause.HangUp(HangUpParty.Agent),
        };
        for (var status = 300; status <= 699; status++)
        {
            var mapped = FinalResponses.Map(status, "Reason", cause, Call, "case-1", At);
            Type expected = status switch
            {
                486 or 600 => typeof(CallBusy),
                408 or 480 => typeof(CallNoAnswer),
                487 when cause.RingTimeout => typeof(CallNoAnswer),
                487 when cause.IsSet => typeof(CallHungUp),
                _ => typeof(CallFailed),
            };
            Assert.True(expected == mapped.GetType(), $"{status} with {cause} mapped to {mapped}");
            Assert.Equal(("case-1", At), (mapped.CorrelationId, mapped.At));
            if (mapped is CallFailed failed)
            {
                Assert.Equal($"{status} Reason", failed.Reason);
            }
        }
    }

    [Fact]
    public void A_487_after_a_release_is_hung_up_by_whoever_released_and_a_customer_release_counts_as_the_system()
    {
        Assert.Equal(HangUpParty.Agent, Assert.IsType<CallHungUp>(FinalResponses.Map(487, "Request Terminated", CancelCause.HangUp(HangUpParty.Agent), Call, "x", At)).By);
        Assert.Equal(HangUpParty.System, Assert.IsType<CallHungUp>(FinalResponses.Map(487, "Request Terminated", CancelCause.HangUp(HangUpParty.Customer), Call, "x", At)).By);
        Assert.Equal("404", Assert.IsType<CallFailed>(FinalResponses.Map(404, string.Empty, CancelCause.None, Call, "x", At)).Reason);
    }
}
