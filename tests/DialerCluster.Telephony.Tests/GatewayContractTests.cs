using DialerCluster.Dialing.Telephony;

namespace DialerCluster.Telephony.Tests;

public sealed class GatewayContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly CallId Id = new("c1");

    [Theory]
    [InlineData("+15550000001", true)]
    [InlineData("+442071838750", true)]
    [InlineData("15550000001", false)]
    [InlineData("+05550000001", false)]
    [InlineData("+1555000000123456", false)]
    [InlineData("+1 555 000", false)]
    [InlineData("+1", false)]
    [InlineData("", false)]
    public void Numbers_must_be_e164(string number, bool valid) => Assert.Equal(valid, PhoneNumber.IsE164(number));

    [Theory]
    [InlineData("0555", "+15550100000", 20, "case-1", "number")]
    [InlineData("+15550000001", "unknown", 20, "case-1", "callerId")]
    [InlineData("+15550000001", "+15550100000", 14, "case-1", "ringTimeout")]
    [InlineData("+15550000001", "+15550100000", 121, "case-1", "ringTimeout")]
    [InlineData("+15550000001", "+15550100000", 20, " ", "correlationId")]
    public void A_bad_dial_is_refused_naming_the_field(string number, string callerId, int ringSeconds, string correlation, string field)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new OriginateRequest(number, callerId, TimeSpan.FromSeconds(ringSeconds), correlation));
        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void Ring_timeout_of_fifteen_seconds_is_the_legal_minimum_and_allowed() =>
        Assert.Equal(TimeSpan.FromSeconds(15), new OriginateRequest("+15550000001", "+15550100000", TimeSpan.FromSeconds(15), "case-1").RingTimeout);

    public static TheoryData<CallStage, CallEvent, bool> Transitions => new()
    {
        { CallStage.Dialing, new CallRinging(Id, "x", T0), true },
        { CallStage.Dialing, new CallRinging(Id, "x", T0, Alerting: false), true },
        { CallStage.Dialing, new CallBusy(Id, "x", T0), true },
        { CallStage.Ringing, new CallAnswered(Id, "x", T0, AnsweredBy.Human), true },
        { CallStage.Ringing, new CallNoAnswer(Id, "x", T0), true },
        { CallStage.Ringing, new CallHungUp(Id, "x", T0, HangUpParty.System), true },
        { CallStage.Ringing, new CallHungUp(Id, "x", T0, HangUpParty.Customer), false },
        { CallStage.Ringing, new CallRinging(Id, "x", T0), false },
        { CallStage.Answered, new CallHungUp(Id, "x", T0, HangUpParty.Customer), true },
        { CallStage.Answered, new CallAnswered(Id, "x", T0, AnsweredBy.Machine), false },
        { CallStage.Answered, new CallBusy(Id, "x", T0), false },
        { CallStage.Ended, new CallAnswered(Id, "x", T0, AnsweredBy.Human), false },
        { CallStage.Ended, new CallHungUp(Id, "x", T0, HangUpParty.System), false },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void The_call_lifecycle_allows_only_legal_orders(CallStage stage, CallEvent callEvent, bool legal) =>
        Assert.Equal(legal, CallLifecycle.IsLegal(stage, callEvent));
}
