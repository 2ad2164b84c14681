using DialerCluster.Dialing.Agents;

namespace DialerCluster.Dialing.Tests.Agents;

public sealed class AgentPresenceTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 10, 8, 0, 0, TimeSpan.Zero);

    // Written out by hand: rows = from, columns = to, in the order offline, ready, on_call, wrap_up, break.
    // The diagonal is "stay", always accepted as a no-op.
    private static readonly bool[,] Allowed =
    {
        /* offline */ { true,  true,  false, false, true },
        /* ready   */ { true,  true,  true,  false, true },
        /* on_call */ { true,  false, true,  true,  false },
        /* wrap_up */ { true,  true,  false, true,  true },
        /* break   */ { true,  true,  false, false, true },
    };

    public static TheoryData<AgentState, AgentState, bool> EveryPair()
    {
        var data = new TheoryData<AgentState, AgentState, bool>();
        foreach (var from in Enum.GetValues<AgentState>())
        {
            foreach (var to in Enum.GetValues<AgentState>())
            {
                data.Add(from, to, Allowed[(int)from, (int)to]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Every_state_pair_is_allowed_or_refused_as_the_table_says(AgentState from, AgentState to, bool allowed)
    {
        var presence = new AgentPresence(from, T0, from == AgentState.Break ? "lunch" : null);

        var transition = presence.Enter(to, T0.AddMinutes(5), to == AgentState.Break ? "lunch" : null);

        Assert.Equal(allowed, transition.IsAccepted);
        if (allowed)
        {
            Assert.Equal(to, transition.Presence.State);
        }
        else
        {
            Assert.Same(presence, transition.Presence);
            var error = Assert.Single(transition.Errors);
            Assert.Equal("status", error.Field);
            Assert.Contains(to.ToWire(), error.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(AgentState.Offline)]
    [InlineData(AgentState.WrapUp)]
    [InlineData(AgentState.Break)]
    public void A_call_is_only_connected_to_a_ready_agent(AgentState from)
    {
        var transition = new AgentPresence(from, T0, "x").Enter(AgentState.OnCall, T0);

        Assert.Contains("ready", Assert.Single(transition.Errors).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_break_needs_a_reason(string? reason)
    {
        var transition = new AgentPresence(AgentState.Ready, T0).Enter(AgentState.Break, T0, reason);

        Assert.Equal("reason", Assert.Single(transition.Errors).Field);
    }

    [Fact]
    public void An_overlong_break_reason_is_refused()
    {
        var transition = new AgentPresence(AgentState.Ready, T0).Enter(AgentState.Break, T0, new string('r', AgentPresence.ReasonMaxLength + 1));

        Assert.Equal("reason", Assert.Single(transition.Errors).Field);
    }

    [Fact]
    public void A_refused_move_reports_the_missing_reason_and_the_illegal_state_together()
    {
        var transition = new AgentPresence(AgentState.OnCall, T0).Enter(AgentState.Break, T0);

        Assert.Equal(["reason", "status"], transition.Errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void A_break_keeps_its_trimmed_reason_and_other_states_drop_it()
    {
        var onBreak = new AgentPresence(AgentState.Ready, T0).Enter(AgentState.Break, T0.AddMinutes(1), "  lunch ").Presence;
        var back = onBreak.Enter(AgentState.Ready, T0.AddMinutes(31), "ignored").Presence;

        Assert.Equal(new AgentPresence(AgentState.Break, T0.AddMinutes(1), "lunch"), onBreak);
        Assert.Equal(new AgentPresence(AgentState.Ready, T0.AddMinutes(31)), back);
    }

    [Fact]
    public void Entering_the_same_state_again_keeps_the_time_in_state()
    {
        var ready = new AgentPresence(AgentState.Ready, T0);

        var again = ready.Enter(AgentState.Ready, T0.AddMinutes(10));

        Assert.True(again.IsAccepted);
        Assert.Same(ready, again.Presence);
        Assert.Equal(TimeSpan.FromMinutes(12), again.Presence.TimeInState(T0.AddMinutes(12)));
    }

    [Fact]
    public void A_break_with_a_new_reason_starts_a_new_break()
    {
        var lunch = new AgentPresence(AgentState.Break, T0, "lunch");

        var training = lunch.Enter(AgentState.Break, T0.AddMinutes(30), "training").Presence;

        Assert.Equal(new AgentPresence(AgentState.Break, T0.AddMinutes(30), "training"), training);
    }

    [Fact]
    public void Time_in_state_counts_from_entering_and_is_never_negative()
    {
        var presence = new AgentPresence(AgentState.WrapUp, T0);

        Assert.Equal(TimeSpan.FromSeconds(90), presence.TimeInState(T0.AddSeconds(90)));
        Assert.Equal(TimeSpan.Zero, presence.TimeInState(T0.AddSeconds(-3)));
    }

    [Fact]
    public void Only_ready_agents_take_cases_and_only_offline_or_break_count_as_away()
    {
        Assert.Equal([AgentState.Ready], Enum.GetValues<AgentState>().Where(s => s.TakesCases()));
        Assert.Equal([AgentState.Offline, AgentState.Break], Enum.GetValues<AgentState>().Where(s => s.IsAway()));
    }

    [Theory]
    [InlineData(AgentState.Offline, "offline")]
    [InlineData(AgentState.Ready, "ready")]
    [InlineData(AgentState.OnCall, "on_call")]
    [InlineData(AgentState.WrapUp, "wrap_up")]
    [InlineData(AgentState.Break, "break")]
    public void Agent_state_wire_names_go_both_ways(AgentState state, string wire)
    {
        Assert.Equal(wire, state.ToWire());
        Assert.True(AgentStateWire.TryParse(wire, out var parsed));
        Assert.Equal(state, parsed);
    }
}
