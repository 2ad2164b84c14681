using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Dialing.Tests.Campaigns;

public sealed class CampaignSettingsTests
{
    private static readonly CampaignSettings Valid = new() { Name = "Spring renewals" };

    [Fact]
    public void Defaults_are_valid_and_sensible()
    {
        Assert.Empty(Valid.Validate());
        Assert.Equal(DialMode.Preview, Valid.DialMode);
        Assert.Equal(new TimeOnly(9, 0), Valid.CallingWindow.Start);
        Assert.Equal(new TimeOnly(21, 0), Valid.CallingWindow.End);
        Assert.Equal(0.03, Valid.TargetAbandonRate);
    }

    public static TheoryData<string, CampaignSettings> OneBadField() => new()
    {
        { "name", Valid with { Name = "  " } },
        { "name", Valid with { Name = new string('n', CampaignSettings.NameMaxLength + 1) } },
        { "dialMode", Valid with { DialMode = (DialMode)9 } },
        { "callingWindow", Valid with { CallingWindow = new(new TimeOnly(21, 0), new TimeOnly(9, 0)) } },
        { "callingWindow", Valid with { CallingWindow = new(new TimeOnly(9, 0), new TimeOnly(9, 0)) } },
        { "maxAttempts", Valid with { MaxAttempts = 0 } },
        { "maxAttempts", Valid with { MaxAttempts = CampaignSettings.MaxAttemptsLimit + 1 } },
        { "retryDelays.noAnswer", Valid with { RetryDelays = RetryDelays.Default with { NoAnswer = TimeSpan.Zero } } },
        { "retryDelays.busy", Valid with { RetryDelays = RetryDelays.Default with { Busy = TimeSpan.FromMinutes(-1) } } },
        { "retryDelays.voicemail", Valid with { RetryDelays = RetryDelays.Default with { Voicemail = TimeSpan.FromDays(31) } } },
        { "retryDelays.failed", Valid with { RetryDelays = RetryDelays.Default with { Failed = TimeSpan.Zero } } },
        { "holdTimeout", Valid with { HoldTimeout = TimeSpan.Zero } },
        { "holdTimeout", Valid with { HoldTimeout = TimeSpan.FromHours(9) } },
        { "ownerFallback", Valid with { OwnerFallback = TimeSpan.FromMinutes(-5) } },
        { "linesPerAgent", Valid with { LinesPerAgent = 0 } },
        { "linesPerAgent", Valid with { LinesPerAgent = CampaignSettings.LinesPerAgentLimit + 1 } },
        { "targetAbandonRate", Valid with { TargetAbandonRate = 0 } },
        { "targetAbandonRate", Valid with { TargetAbandonRate = 0.031 } },
        { "targetAbandonRate", Valid with { TargetAbandonRate = double.NaN } },
        { "callerId", Valid with { CallerId = "0201234567" } },
        { "callerId", Valid with { CallerId = "+0201234567" } },
        { "defaultPriority", Valid with { DefaultPriority = (Dialing.Cases.CasePriority)7 } },
        { "costs.agentHourCost", Valid with { Costs = new CampaignCosts(AgentHourCost: -0.01m) } },
        { "costs.callMinuteCost", Valid with { Costs = new CampaignCosts(CallMinuteCost: 0.0000001m) } },
        { "costs.budget", Valid with { Costs = new CampaignCosts(Budget: CampaignCosts.MaxAmount + 1) } },
        { "costs.budgetPeriod", Valid with { Costs = new CampaignCosts(BudgetPeriod: (BudgetPeriod)5) } },
        { "dealValue", Valid with { DealValue = -1 } },
    };

    [Fact]
    public void Money_settings_take_amounts_to_the_millionth_and_a_campaign_caller_id()
    {
        var settings = Valid with
        {
            Costs = new CampaignCosts(AgentHourCost: 24.5m, CallMinuteCost: 0.012345m, Budget: 15_000m, BudgetPeriod: BudgetPeriod.Week),
            DealValue = 1_200m,
            CallerId = "+442079460999",
        };

        Assert.Empty(settings.Validate());
        Assert.Equal(TimeSpan.FromDays(7), BudgetPeriod.Week.Length());
        Assert.Equal(365.25 / 12, BudgetPeriod.Month.Length().TotalDays, 6);
    }

    [Theory]
    [MemberData(nameof(OneBadField))]
    public void A_bad_setting_is_refused_by_field_name_with_a_reason(string field, CampaignSettings settings)
    {
        var error = Assert.Single(settings.Validate());

        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once()
    {
        var settings = Valid with { Name = "", MaxAttempts = -1, HoldTimeout = TimeSpan.Zero, TargetAbandonRate = 0.5 };

        Assert.Equal(
            ["holdTimeout", "maxAttempts", "name", "targetAbandonRate"],
            settings.Validate().Select(e => e.Field).Order());
    }

    [Fact]
    public void A_stricter_abandon_target_than_the_law_is_fine()
    {
        Assert.Empty((Valid with { TargetAbandonRate = 0.01, OwnerFallback = TimeSpan.Zero }).Validate());
    }

    [Theory]
    [InlineData(DialMode.Preview, "preview")]
    [InlineData(DialMode.Progressive, "progressive")]
    [InlineData(DialMode.Power, "power")]
    [InlineData(DialMode.Predictive, "predictive")]
    public void Dial_mode_wire_names_go_both_ways(DialMode mode, string wire)
    {
        Assert.Equal(wire, mode.ToWire());
        Assert.True(DialModeWire.TryParse(wire, out var parsed));
        Assert.Equal(mode, parsed);
    }
}
