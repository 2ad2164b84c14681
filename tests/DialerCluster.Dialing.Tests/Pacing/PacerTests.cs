using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Pacing;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Pacing;

public sealed class PacerTests
{
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(2000);

    [Fact]
    public void Lines_to_dial_are_never_negative() =>
        Check.One(Many, Prop.ForAll(PacingInputs.Any().ToArbitrary(), input => Pacer.LinesToDial(in input) >= 0));

    [Fact]
    public void Nothing_is_dialed_with_no_agent_logged_in() =>
        Check.One(Many, Prop.ForAll(
            PacingInputs.Any().Select(i => i with
            {
                AgentsLoggedIn = 0,
                AgentsReady = 0,
                AgentsExpectedFree = 0,
                Outlook = PacingInputs.Outlook(i.Outlook.Length, 0, i.Outlook.Length == 0 ? 0 : i.Outlook.Answers.Span[^1]),
            }).ToArbitrary(),
            input => Pacer.LinesToDial(in input) == 0));

    [Fact]
    public void Outstanding_calls_never_exceed_the_line_limits() =>
        Check.One(Many, Prop.ForAll(PacingInputs.Any().ToArbitrary(), input =>
        {
            long after = (long)Pacer.LinesToDial(in input) + input.CallsInFlight + input.CallsAwaitingAgent;
            double limit = Math.Min(input.Policy.MaxCampaignLines, Math.Floor(input.Policy.MaxLinesPerAgent * input.AgentsLoggedIn));
            int dialed = Pacer.LinesToDial(in input);
            return dialed == 0 || after <= limit;
        }));

    [Fact]
    public void Preview_never_dials_for_the_agent() =>
        Check.One(Many, Prop.ForAll(
            PacingInputs.Any().Select(i => i with { Policy = i.Policy with { Mode = DialMode.Preview } }).ToArbitrary(),
            input => Pacer.LinesToDial(in input) == 0));

    [Fact]
    public void Progressive_never_dials_more_than_ready_agents_minus_calls_out() =>
        Check.One(Many, Prop.ForAll(
            PacingInputs.Any().Select(i => i with { Policy = i.Policy with { Mode = DialMode.Progressive } }).ToArbitrary(),
            input =>
            {
                int lines = Pacer.LinesToDial(in input);
                return lines <= input.AgentsReady && lines <= Math.Max(0, input.AgentsReady - input.CallsInFlight - input.CallsAwaitingAgent);
            }));

    [Fact]
    public void A_higher_abandon_rate_never_means_more_dialing() =>
        Check.One(Many, Prop.ForAll(
            PacingInputs.Any().ToArbitrary(),
            Gen.Choose(0, 1000).ToArbitrary(),
            (input, otherPermille) =>
            {
                double other = otherPermille / 1000.0;
                var low = input with { AbandonRate = Math.Min(input.AbandonRate, other) };
                var high = input with { AbandonRate = Math.Max(input.AbandonRate, other) };
                return Pacer.LinesToDial(in high) <= Pacer.LinesToDial(in low);
            }));

    [Fact]
    public void Predictive_never_dials_less_than_progressive() =>
        Check.One(Many, Prop.ForAll(
            PacingInputs.Any().Select(i => i with { Policy = i.Policy with { Mode = DialMode.Predictive } }).ToArbitrary(),
            input =>
            {
                var progressive = input with { Policy = input.Policy with { Mode = DialMode.Progressive } };
                return Pacer.LinesToDial(in input) >= Pacer.LinesToDial(in progressive);
            }));

    [Theory]
    [InlineData(10, 0, 10)]
    [InlineData(10, 4, 6)]
    [InlineData(10, 10, 0)]
    [InlineData(10, 25, 0)]
    [InlineData(0, 0, 0)]
    public void Progressive_dials_one_call_per_ready_agent_minus_calls_in_flight(int ready, int inFlight, int expected)
    {
        var input = PacingInputs.Typical(DialMode.Progressive) with { AgentsReady = ready, CallsInFlight = inFlight, AbandonRate = 0 };
        Assert.Equal(expected, Pacer.LinesToDial(in input));
    }

    [Theory]
    [InlineData(2, 5, 0, 0.0, 10)]
    [InlineData(2, 5, 3, 0.0, 7)]
    [InlineData(3, 4, 0, 0.0, 12)]
    [InlineData(2, 5, 0, 0.03, 5)]
    [InlineData(2, 5, 2, 0.05, 3)]
    public void Power_dials_a_fixed_number_of_lines_per_ready_agent_until_the_abandon_target_is_hit(
        int linesPerAgent, int ready, int inFlight, double abandonRate, int expected)
    {
        var input = PacingInputs.Typical(DialMode.Power) with
        {
            Policy = new PacingPolicy { Mode = DialMode.Power, PowerLinesPerAgent = linesPerAgent },
            AgentsReady = ready,
            CallsInFlight = inFlight,
            AbandonRate = abandonRate,
        };
        Assert.Equal(expected, Pacer.LinesToDial(in input));
    }

    [Fact]
    public void Predictive_dials_several_lines_per_available_agent_at_a_low_answer_rate()
    {
        var input = PacingInputs.Typical() with { AgentsReady = 5, AgentsExpectedFree = 0, AgentsExpectedFreeVariance = 0, CallsInFlight = 0, AnswerRate = 0.25 };
        int lines = Pacer.LinesToDial(in input);

        // Five agents at one person-answer in four dials: fewer than 20 lines (safety margin), more than progressive's 5.
        Assert.InRange(lines, 6, 19);
    }

    [Fact]
    public void Predictive_counts_agents_about_to_finish_as_supply()
    {
        var none = PacingInputs.Typical() with { AgentsExpectedFree = 0, AgentsExpectedFreeVariance = 0 };
        var some = PacingInputs.Typical() with { AgentsExpectedFree = 4, AgentsExpectedFreeVariance = 0.5 };
        Assert.True(Pacer.LinesToDial(in some) > Pacer.LinesToDial(in none));
    }

    [Fact]
    public void Predictive_backs_off_hard_once_the_abandon_rate_passes_the_target()
    {
        var calm = PacingInputs.Typical() with { AgentsReady = 20, CallsInFlight = 0, AbandonRate = 0.01 };
        var over = calm with { AbandonRate = 0.045 };
        int calmLines = Pacer.LinesToDial(in calm);
        int overLines = Pacer.LinesToDial(in over);

        Assert.True(overLines <= calmLines / 2, $"calm {calmLines}, over target {overLines}");
        Assert.True(overLines >= 20, "never below progressive: one line per ready agent cannot abandon");
    }

    [Fact]
    public void Predictive_dials_nothing_more_while_answered_calls_wait_for_the_only_agents()
    {
        var input = PacingInputs.Typical() with { AgentsReady = 0, AgentsExpectedFree = 2, AgentsExpectedFreeVariance = 0.2, CallsAwaitingAgent = 2, CallsInFlight = 0 };
        Assert.Equal(0, Pacer.LinesToDial(in input));
    }

    [Fact]
    public void Predictive_trusts_the_in_flight_forecast_over_the_plain_answer_rate()
    {
        // 40 calls ringing, most of them for long: far fewer answers coming than 40 × 24%.
        var plain = PacingInputs.Typical() with { CallsInFlight = 40, AgentsReady = 10 };
        var forecast = plain with { ExpectedAnswersInFlight = 4, ExpectedAnswersInFlightVariance = 3 };
        Assert.True(Pacer.LinesToDial(in forecast) > Pacer.LinesToDial(in plain));
    }

    [Fact]
    public void The_campaign_line_limit_caps_the_start_of_day_burst()
    {
        var input = PacingInputs.Typical() with
        {
            Policy = new PacingPolicy { Mode = DialMode.Predictive, MaxCampaignLines = 30 },
            AgentsReady = 50,
            AgentsExpectedFree = 0,
            CallsInFlight = 0,
        };
        Assert.Equal(30, Pacer.LinesToDial(in input));
    }

    public static TheoryData<string, PacingInput> BadInputs => new()
    {
        { "AgentsLoggedIn", PacingInputs.Typical() with { AgentsLoggedIn = -1, AgentsReady = 0, AgentsExpectedFree = 0 } },
        { "AgentsReady", PacingInputs.Typical() with { AgentsReady = 51 } },
        { "AgentsExpectedFree", PacingInputs.Typical() with { AgentsExpectedFree = double.NaN } },
        { "CallsInFlight", PacingInputs.Typical() with { CallsInFlight = -3 } },
        { "ExpectedAnswersInFlight", PacingInputs.Typical() with { ExpectedAnswersInFlight = 11 } },
        { "AnswerRate", PacingInputs.Typical() with { AnswerRate = 1.2 } },
        { "AbandonRate", PacingInputs.Typical() with { AbandonRate = double.NaN } },
        { "TargetAbandonRate", PacingInputs.Typical() with { Policy = new PacingPolicy { TargetAbandonRate = 0 } } },
        { "MaxLinesPerAgent", PacingInputs.Typical() with { Policy = new PacingPolicy { MaxLinesPerAgent = 0 } } },
        { "PowerLinesPerAgent", PacingInputs.Typical() with { Policy = new PacingPolicy { PowerLinesPerAgent = 0 } } },
        { "Mode", PacingInputs.Typical() with { Policy = new PacingPolicy { Mode = (DialMode)42 } } },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_refused_naming_the_field(string field, PacingInput input)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pacer.LinesToDial(in input));
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }
}
