using System.Globalization;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Stores;
using Orleans.Storage;

namespace DialerCluster.Storage.Tests;

/// <summary>
/// The one conformance suite for the stores the grains and the API use: every engine runs exactly these
/// tests on a fresh database (<see cref="SqliteDialerStoreTests"/>, <see cref="PostgresDialerStoreTests"/>).
/// </summary>
public abstract class DialerStoreTests : StoreSuiteBase
{
    private static readonly CancellationToken None = CancellationToken.None;

    // ---- campaigns -------------------------------------------------------------------------------------

    [Fact]
    public async Task Campaign_settings_read_back_exactly_as_they_were_stored()
    {
        var settings = new CampaignSettings
        {
            Name = "Winter renewals",
            DialMode = DialMode.Predictive,
            CallingWindow = new CallingWindow(new TimeOnly(8, 30), new TimeOnly(20, 15)),
            MaxAttempts = 7,
            RetryDelays = new RetryDelays(TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(7), TimeSpan.FromHours(3), TimeSpan.FromSeconds(1.5)),
            HoldTimeout = TimeSpan.FromMinutes(12),
            OwnerFallback = TimeSpan.FromDays(30),
            LinesPerAgent = 3,
            TargetAbandonRate = 0.025,
            CallerId = "+442079460999",
            DefaultPriority = CasePriority.Normal,
            Costs = new CampaignCosts(AgentHourCost: 24.5m, CallMinuteCost: 0.012345m, Budget: 15_000.75m, BudgetPeriod: BudgetPeriod.Week),
            DealValue = 1_234.567891m,
        };

        var created = await Campaigns.CreateAsync(settings, None);
        var read = await Campaigns.GetAsync(created.Id, None);

        Assert.Equal(1, created.Version);
        Assert.Equal(settings, created.Settings);
        Assert.Equal(created, read);
        Assert.Equal([created], await Campaigns.ListAsync(None));
        Assert.Null(await Campaigns.GetAsync(created.Id + 1000, None));
    }

    [Fact]
    public async Task A_campaign_update_with_the_current_version_succeeds_and_a_stale_version_is_refused()
    {
        var created = await Campaigns.CreateAsync(Settings(), None);

        var changed = Settings("Renamed") with
        {
            MaxAttempts = 9,
            CallerId = "+12025550123",
            DefaultPriority = CasePriority.High,
            Costs = new CampaignCosts(30m, 0.02m, 9_000m, BudgetPeriod.Month),
            DealValue = 800m,
        };
        var version = await Campaigns.UpdateAsync(created.Id, changed, created.Version, None);
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Campaigns.UpdateAsync(created.Id, Settings("Lost update"), created.Version, None));

        Assert.Equal(created.Version + 1, version);
        Assert.Equal(version.ToString(CultureInfo.InvariantCulture), conflict.StoredEtag);
        var stored = await Campaigns.GetAsync(created.Id, None);
        Assert.Equal("Renamed", stored!.Settings.Name);
        Assert.Equal(changed, stored.Settings);
        Assert.Equal(version, stored.Version);
    }

    [Fact]
    public async Task Updating_a_campaign_that_does_not_exist_is_a_conflict_with_no_stored_version()
    {
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Campaigns.UpdateAsync(424242, Settings(), 1, None));

        Assert.Null(conflict.StoredEtag);
    }

    [Fact]
    public async Task Invalid_campaign_settings_are_refused_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Campaigns.CreateAsync(Settings() with { MaxAttempts = 0 }, None));

        Assert.Contains("maxAttempts", error.Message, StringComparison.Ordinal);
        Assert.Empty(await Campaigns.ListAsync(None));
    }

    [Fact]
    public async Task An_agent_is_assigned_to_a_campaign_once_and_unassigned_once()
    {
        var campaign = await NewCampaignAsync();
        var other = await NewCampaignAsync("Other");
        var (ada, bob) = (await NewAgentAsync("Ada"), await NewAgentAsync("Bob"));

        Assert.True(await Campaigns.AssignAgentAsync(campaign, ada, None));
        Assert.False(await Campaigns.AssignAgentAsync(campaign, ada, None));
        Assert.True(await Campaigns.AssignAgentAsync(campaign, bob, None));
        Assert.True(await Campaigns.AssignAgentAsync(other, ada, None));

        Assert.Equal([ada, bob], await Campaigns.AgentsOfAsync(campaign, None));
        Assert.Equal([campaign, other], await Campaigns.CampaignsOfAgentAsync(ada, None));

        Assert.True(await Campaigns.UnassignAgentAsync(campaign, ada, None));
        Assert.False(await Campaigns.UnassignAgentAsync(campaign, ada, None));
        Assert.Equal([bob], await Campaigns.AgentsOfAsync(campaign, None));
        Assert.Equal([other], await Campaigns.CampaignsOfAgentAsync(ada, None));
    }

    [Fact]
    public async Task Assigning_an_agent_that_does_not_exist_is_refused_naming_it()
    {
        var campaign = await NewCampaignAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Campaigns.AssignAgentAsync(campaign, 999_999, None));

        Assert.Contains("999999", error.Message, StringComparison.Ordinal);
    }

    // ---- agents ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Agents_are_created_read_and_listed()
    {
        var ada = await Agents.CreateAsync("Ada", None);
        var bob = await Agents.CreateAsync("Bob", None);

        Assert.Equal(ada, await Agents.GetAsync(ada.Id, None));
        Assert.Equal([ada, bob], await Agents.ListAsync(None));
        Assert.Null(await Agents.GetAsync(bob.Id + 1000, None));
        await Assert.ThrowsAsync<ArgumentException>(() => Agents.CreateAsync("  ", None));
    }

    [Fact]
    public async Task The_last_logged_presence_is_the_latest_one_with_its_break_reason()
    {
        var ada = await NewAgentAsync();
        Assert.Null(await Agents.LastStateAsync(ada, None));

        await Agents.AppendStateAsync(ada, new AgentPresence(AgentState.Ready, T0), None);
        await Agents.AppendStateAsync(ada, new AgentPresence(AgentState.Break, T0.AddMinutes(30), "lunch"), None);
        await Agents.AppendStateAsync(ada, new AgentPresence(AgentState.OnCall, T0.AddMinutes(10)), None);

        Assert.Equal(new AgentPresence(AgentState.Break, T0.AddMinutes(30), "lunch"), await Agents.LastStateAsync(ada, None));
        Assert.Equal(3, await ScalarAsync($"SELECT count(*) FROM agent_state_log WHERE agent_id = {ada}"));
    }

    // ---- contacts --------------------------------------------------------------------------------------

    [Fact]
    public async Task An_import_stores_the_group_and_every_contact_with_all_its_fields()
    {
        var phones = Phones(3);
        var full = new ContactDraft(
            2,
            "Zoë Ångström",
            [phones[0], phones[1]],
            "zoe@example.com",
            "Fjord AB",
            "Storgatan 1, Malmö",
            "SE",
            "Europe/Stockholm",
            new Dictionary<string, string> { ["Segment"] = "gold", ["Notiz"] = "ruft abends zurück" });
        var bare = new ContactDraft(4, null, [phones[2]], null, null, null, null, null, new Dictionary<string, string>());

        var group = await Contacts.ImportGroupAsync("March list", [full, bare], rowCount: 3, rejectedCount: 1, None);

        Assert.True(await Contacts.GroupExistsAsync(group, None));
        Assert.False(await Contacts.GroupExistsAsync(group + 1000, None));
        var ids = await Contacts.ContactIdsInGroupAsync(group, None);
        Assert.Equal(2, ids.Count);
        var stored = await Contacts.GetAsync(ids[0], None);
        Assert.NotNull(stored);
        Assert.Equal(group, stored.GroupId);
        Assert.Equal("Zoë Ångström", stored.Name);
        Assert.Equal([phones[0], phones[1]], stored.Phones);
        Assert.Equal(phones[0], stored.PrimaryPhone);
        Assert.Equal(("zoe@example.com", "Fjord AB", "Storgatan 1, Malmö"), (stored.Email, stored.Company, stored.Address));
        Assert.Equal(("Europe/Stockholm", "SE"), (stored.TimeZone, stored.Country));
        Assert.Equal(full.Attributes, stored.Attributes);
        var empty = await Contacts.GetAsync(ids[1], None);
        Assert.Equal(("", (string?)null, (string?)null), (empty!.Name, empty.TimeZone, empty.Email));
        Assert.Empty(empty.Attributes);
        Assert.Equal(3, await ScalarAsync($"SELECT row_count FROM contact_groups WHERE id = {group}"));
        Assert.Equal(1, await ScalarAsync($"SELECT rejected_count FROM contact_groups WHERE id = {group}"));
    }

    [Fact]
    public async Task An_import_failing_in_the_middle_leaves_no_group_and_no_contacts()
    {
        var phones = Phones(1000);
        var drafts = phones.Select((p, i) => Draft(p, i + 2)).ToList();
        drafts.Insert(500, Draft(phones[10], 502));

        var error = await Assert.ThrowsAsync<DuplicateKeyException>(() => Contacts.ImportGroupAsync("Broken", drafts, 1001, 0, None));

        Assert.Equal("phone", error.Field);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM contacts"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM contact_groups"));
    }

    [Fact]
    public async Task An_import_of_a_number_that_already_belongs_to_a_contact_changes_nothing()
    {
        var phones = Phones(3);
        await Contacts.ImportGroupAsync("First", [Draft(phones[0])], 1, 0, None);

        await Assert.ThrowsAsync<DuplicateKeyException>(
            () => Contacts.ImportGroupAsync("Second", [Draft(phones[1]), Draft(phones[0]), Draft(phones[2])], 3, 0, None));

        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM contacts"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM contact_groups"));
    }

    [Fact]
    public async Task An_import_with_a_number_that_is_not_E164_is_refused_whole()
    {
        var phones = Phones(2);

        await Assert.ThrowsAsync<ArgumentException>(
            () => Contacts.ImportGroupAsync("Bad", [Draft(phones[0]), Draft("0044 20 1234"), Draft(phones[1])], 3, 0, None));

        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM contacts"));
    }

    [Fact]
    public async Task Existing_phones_are_found_among_more_numbers_than_one_lookup_takes()
    {
        var known = Phones(2_000);
        await Contacts.ImportGroupAsync("Known", known.Select(p => Draft(p)).ToList(), known.Length, 0, None);
        var unknown = Phones(120_000);
        var asked = unknown.Concat(known.Where((_, i) => i % 3 == 0)).ToList();

        var existing = await Contacts.ExistingPhonesAsync(asked, None);

        Assert.Equal(known.Where((_, i) => i % 3 == 0).Order(StringComparer.Ordinal), existing.Order(StringComparer.Ordinal));
        Assert.Empty(await Contacts.ExistingPhonesAsync([], None));
    }

    [Fact]
    public async Task A_contact_added_by_hand_reuses_the_contact_with_the_same_primary_phone()
    {
        var phone = Phones(1)[0];

        var first = await Contacts.FindOrAddAsync(Draft(phone, name: "Ada"), None);
        var again = await Contacts.FindOrAddAsync(Draft(phone, name: "Ada Lovelace"), None);

        Assert.Equal(first, again);
        var stored = await Contacts.GetAsync(first, None);
        Assert.Equal(("Ada", (long?)null), (stored!.Name, stored.GroupId));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM contacts"));
    }

    // ---- cases: creation and the queue rebuild ---------------------------------------------------------

    [Fact]
    public async Task Cases_are_created_once_per_contact_and_repeated_or_unknown_contacts_are_skipped()
    {
        var campaign = await NewCampaignAsync();
        var owner = await NewAgentAsync();
        var contacts = await NewContactsAsync(5, zone: "America/Chicago");

        var first = await Cases.CreateCasesAsync(campaign, contacts[..3], CasePriority.High, owner, T0, None);
        var second = await Cases.CreateCasesAsync(campaign, [.. contacts, contacts[4], 999_999], CasePriority.Low, null, T0.AddHours(1), None);

        Assert.Equal(3, first.Created.Count);
        Assert.Equal(0, first.Skipped);
        Assert.All(first.Created, c =>
        {
            Assert.Equal((CaseStatus.New, CasePriority.High, (long?)owner, 0), (c.Status, c.Priority, c.OwnerAgentId, c.Attempts));
            Assert.Equal(("America/Chicago", T0), (c.TimeZone, c.CreatedAt));
            Assert.StartsWith("+4420", c.Phone, StringComparison.Ordinal);
            Assert.Null(c.HolderAgentId);
        });
        Assert.Equal(2, second.Created.Count);
        Assert.Equal(5, second.Skipped);
        Assert.Equal(5, await ScalarAsync($"SELECT count(*) FROM cases WHERE campaign_id = {campaign}"));
        var all = await Cases.OpenCasesAsync(campaign, None).ToListAsync();
        Assert.Equal(first.Created.Concat(second.Created).OrderBy(c => c.CaseId), all);
    }

    [Fact]
    public async Task The_same_contacts_get_a_case_in_each_campaign()
    {
        var (one, two) = (await NewCampaignAsync("One"), await NewCampaignAsync("Two"));
        var contacts = await NewContactsAsync(4);

        Assert.Equal(4, (await Cases.CreateCasesAsync(one, contacts, CasePriority.Low, null, T0, None)).Created.Count);
        Assert.Equal(4, (await Cases.CreateCasesAsync(two, contacts, CasePriority.Low, null, T0, None)).Created.Count);
    }

    [Fact]
    public async Task Creating_cases_in_a_campaign_that_does_not_exist_is_refused_and_creates_nothing()
    {
        var contacts = await NewContactsAsync(3);

        await Assert.ThrowsAsync<ArgumentException>(() => Cases.CreateCasesAsync(777_777, contacts, CasePriority.Low, null, T0, None));

        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM cases"));
    }

    [Fact]
    public async Task Open_cases_leave_out_won_and_resigned_and_carry_holds_callbacks_and_retries()
    {
        var campaign = await NewCampaignAsync();
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 4);
        await SaveAsync(ids[0], CaseStatus.Won, CaseForm.Empty);
        await SaveAsync(ids[1], CaseStatus.Resigned, new CaseForm(ResignationReason: "price"));
        await SaveAsync(ids[2], CaseStatus.InAcquisition, new CaseForm(NextContactAt: T0.AddDays(1), AcquisitionStage: "qualified", LeadSource: "web"), owner: ada);
        Assert.NotNull(await Cases.TryHoldAsync(ids[3], ada, T0.AddMinutes(1), Unclaimed, None));

        var open = await Cases.OpenCasesAsync(campaign, None).ToListAsync();

        Assert.Equal([ids[2], ids[3]], open.Select(c => c.CaseId));
        Assert.Equal((CaseStatus.InAcquisition, (long?)ada, (DateTimeOffset?)T0.AddDays(1)), (open[0].Status, open[0].OwnerAgentId, open[0].NextContactAt));
        Assert.Equal(((long?)ada, (DateTimeOffset?)T0.AddMinutes(1)), (open[1].HolderAgentId, open[1].HeldAt));
        Assert.Equal("Europe/London", open[1].TimeZone);
        var counts = await Cases.CountByStatusAsync(campaign, None);
        Assert.Equal(1, counts[CaseStatus.Won]);
        Assert.Equal(1, counts[CaseStatus.Resigned]);
        Assert.Equal(1, counts[CaseStatus.InAcquisition]);
        Assert.Equal(1, counts[CaseStatus.New]);
        Assert.Equal(0, counts[CaseStatus.Offered]);
    }

    // ---- cases: holds ----------------------------------------------------------------------------------

    [Fact]
    public async Task A_case_held_by_one_agent_is_refused_to_another()
    {
        var campaign = await NewCampaignAsync();
        var (ada, bob) = (await NewAgentAsync("Ada"), await NewAgentAsync("Bob"));
        var ids = await NewCasesAsync(campaign, 1);

        Assert.NotNull(await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, None));
        Assert.Null(await Cases.TryHoldAsync(ids[0], bob, T0, Unclaimed, None));
        Assert.Null(await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, None));

        var stored = await Cases.GetAsync(ids[0], None);
        Assert.Equal(((long?)ada, (DateTimeOffset?)T0), (stored!.HolderAgentId, stored.HeldAt));
    }

    [Fact]
    public async Task An_agent_holding_a_case_is_refused_a_second_one_even_in_another_campaign()
    {
        var (one, two) = (await NewCampaignAsync("One"), await NewCampaignAsync("Two"));
        var ada = await NewAgentAsync();
        var first = await NewCasesAsync(one, 1);
        var second = await NewCasesAsync(two, 1);

        Assert.NotNull(await Cases.TryHoldAsync(first[0], ada, T0, Unclaimed, None));
        Assert.Null(await Cases.TryHoldAsync(second[0], ada, T0, Unclaimed, None));

        Assert.Null((await Cases.GetAsync(second[0], None))!.HolderAgentId);
    }

    [Theory]
    [InlineData(CaseStatus.Won)]
    [InlineData(CaseStatus.Resigned)]
    public async Task A_won_or_resigned_case_is_never_held(CaseStatus terminal)
    {
        var campaign = await NewCampaignAsync();
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 1);
        await SaveAsync(ids[0], terminal, new CaseForm(ResignationReason: "no budget"));

        Assert.Null(await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, None));
    }

    // ---- cases: the campaign activation's fence --------------------------------------------------------

    [Fact]
    public async Task Each_claim_of_a_campaign_gets_a_higher_epoch()
    {
        var (one, two) = (await NewCampaignAsync("One"), await NewCampaignAsync("Two"));

        var first = await Campaigns.ClaimEpochAsync(one, None);
        var second = await Campaigns.ClaimEpochAsync(one, None);
        var other = await Campaigns.ClaimEpochAsync(two, None);

        Assert.True(first.Value > Unclaimed.Value);
        Assert.True(second.Value > first.Value);
        Assert.Equal(first, other);
        await Assert.ThrowsAsync<ArgumentException>(() => Campaigns.ClaimEpochAsync(424_242, None));
    }

    [Fact]
    public async Task Holds_and_releases_of_an_activation_whose_epoch_was_claimed_again_are_refused()
    {
        var campaign = await NewCampaignAsync();
        var (ada, bob) = (await NewAgentAsync("Ada"), await NewAgentAsync("Bob"));
        var ids = await NewCasesAsync(campaign, 2);
        var stale = await Campaigns.ClaimEpochAsync(campaign, None);
        Assert.NotNull(await Cases.TryHoldAsync(ids[0], ada, T0, stale, None));

        var current = await Campaigns.ClaimEpochAsync(campaign, None);

        Assert.Null(await Cases.TryHoldAsync(ids[1], bob, T0, stale, None));
        Assert.Null(await Cases.TryHoldAsync(ids[1], bob, T0, Unclaimed, None));
        Assert.False(await Cases.ReleaseAsync(Release(ids[0], ada) with { Epoch = stale }, None));
        Assert.Equal(ada, (await Cases.GetAsync(ids[0], None))!.HolderAgentId);
        Assert.Null((await Cases.GetAsync(ids[1], None))!.HolderAgentId);
        Assert.True(await Cases.ReleaseAsync(Release(ids[0], ada) with { Epoch = current }, None));
        Assert.NotNull(await Cases.TryHoldAsync(ids[1], bob, T0, current, None));
    }

    [Fact]
    public async Task A_case_that_does_not_exist_is_not_held()
    {
        var ada = await NewAgentAsync();

        Assert.Null(await Cases.TryHoldAsync(123_456, ada, T0, Unclaimed, None));
    }

    [Fact]
    public async Task Of_fifty_agents_holding_one_case_at_once_exactly_one_wins()
    {
        var campaign = await NewCampaignAsync();
        var agents = await NewAgentsAsync(50);
        var ids = await NewCasesAsync(campaign, 1);
        var other = NewCaseStore();
        using var start = new ManualResetEventSlim();

        // Half go through a second store (its own writer and connection): a second node racing the first.
        var outcomes = await Task.WhenAll(agents.Select((agent, i) => Task.Run(async () =>
        {
            start.Wait();
            return (Agent: agent, Won: await (i % 2 == 0 ? Cases : other).TryHoldAsync(ids[0], agent, T0, Unclaimed, None) is not null);
        })).ToList().Also(_ => start.Set()));

        var winner = Assert.Single(outcomes, o => o.Won);
        Assert.Equal(winner.Agent, (await Cases.GetAsync(ids[0], None))!.HolderAgentId);
    }

    [Fact]
    public async Task Many_agents_holding_distinct_cases_at_once_all_succeed_each_exactly_once()
    {
        var campaign = await NewCampaignAsync();
        var agents = await NewAgentsAsync(200);
        var ids = await NewCasesAsync(campaign, 400);

        // Every agent asks for two cases at once: the group commit must give each agent exactly one.
        var outcomes = await Task.WhenAll(agents.SelectMany((agent, i) => new[]
        {
            Cases.TryHoldAsync(ids[2 * i], agent, T0, Unclaimed, None).ContinueWith(t => (agent, Result: t.Result is not null), TaskScheduler.Default),
            Cases.TryHoldAsync(ids[2 * i + 1], agent, T0, Unclaimed, None).ContinueWith(t => (agent, Result: t.Result is not null), TaskScheduler.Default),
        }));

        Assert.All(outcomes.GroupBy(o => o.agent), g => Assert.Single(g, o => o.Result));
        Assert.Equal(200, await ScalarAsync($"SELECT count(*) FROM cases WHERE holder_agent_id IS NOT NULL AND campaign_id = {campaign}"));
    }

    [Fact]
    public async Task An_agent_asking_two_nodes_at_once_for_two_cases_gets_exactly_one()
    {
        var campaign = await NewCampaignAsync();
        var agents = await NewAgentsAsync(40);
        var ids = await NewCasesAsync(campaign, 80);
        var other = NewCaseStore();

        // Both nodes' checks can pass before either commits; the unique index must settle it, and the
        // refused batch's other writes (another agent's holds) must still go through.
        var outcomes = await Task.WhenAll(agents.Select((agent, i) => Task.Run(async () =>
        {
            var here = Cases.TryHoldAsync(ids[2 * i], agent, T0, Unclaimed, None);
            var there = other.TryHoldAsync(ids[2 * i + 1], agent, T0, Unclaimed, None);
            return (await here is null ? 0 : 1) + (await there is null ? 0 : 1);
        })));

        Assert.All(outcomes, held => Assert.Equal(1, held));
        Assert.Equal(40, await ScalarAsync($"SELECT count(*) FROM cases WHERE holder_agent_id IS NOT NULL"));
    }

    [Fact]
    public async Task A_hold_returns_the_case_as_stored_after_it_and_its_contact()
    {
        var campaign = await NewCampaignAsync();
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 1);
        var before = await Cases.GetAsync(ids[0], None);

        var held = await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, None);

        Assert.NotNull(held);
        Assert.Equal(await Cases.GetAsync(ids[0], None), held.Case);
        Assert.Equal((ada, T0, before!.Version + 1), (held.Case.HolderAgentId, held.Case.HeldAt, held.Case.Version));
        var contact = await Contacts.GetAsync(before.ContactId, None);
        Assert.Equivalent(contact, held.Contact, strict: true);
    }

    [Fact]
    public async Task A_hold_is_in_the_database_when_the_call_returns()
    {
        var campaign = await NewCampaignAsync();
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 1);

        Assert.NotNull(await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, None));

        Assert.Equal(ada, await ScalarAsync($"SELECT holder_agent_id FROM cases WHERE id = {ids[0]}"));
    }

    // ---- cases: releases -------------------------------------------------------------------------------

    [Fact]
    public async Task Only_the_holder_releases_and_the_release_sets_attempts_retry_time_and_the_activity()
    {
        var campaign = await NewCampaignAsync();
        var (ada, bob) = (await NewAgentAsync("Ada"), await NewAgentAsync("Bob"));
        var ids = await NewCasesAsync(campaign, 1);
        Assert.NotNull(await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, None));
        var retry = T0.AddHours(2);

        Assert.False(await Cases.ReleaseAsync(Release(ids[0], bob, 1, retry), None));
        Assert.Equal(ada, (await Cases.GetAsync(ids[0], None))!.HolderAgentId);
        Assert.Empty(await Cases.ActivitiesAsync(ids[0], None));

        Assert.True(await Cases.ReleaseAsync(Release(ids[0], ada, 1, retry, CallOutcome.Busy), None));
        Assert.False(await Cases.ReleaseAsync(Release(ids[0], ada, 2, retry), None));

        var stored = await Cases.GetAsync(ids[0], None);
        Assert.Equal(((long?)null, (DateTimeOffset?)null), (stored!.HolderAgentId, stored.HeldAt));
        Assert.Equal((1, (DateTimeOffset?)retry, T0.AddMinutes(5)), (stored.Attempts, stored.NextAttemptAt, stored.UpdatedAt));
        var activity = Assert.Single(await Cases.ActivitiesAsync(ids[0], None));
        Assert.Equal(CaseActivity.CallAttempt(CallOutcome.Busy, T0.AddMinutes(5), ada.ToString(CultureInfo.InvariantCulture)), activity.Activity);
        Assert.Equal(ids[0], activity.CaseId);
    }

    [Fact]
    public async Task A_release_without_an_activity_only_clears_the_hold()
    {
        var campaign = await NewCampaignAsync();
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 1);
        Assert.NotNull(await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, None));

        Assert.True(await Cases.ReleaseAsync(new CaseRelease(ids[0], ada, T0.AddMinutes(1), 0, null, null, Unclaimed), None));

        Assert.Empty(await Cases.ActivitiesAsync(ids[0], None));
        Assert.Null((await Cases.GetAsync(ids[0], None))!.HolderAgentId);
    }

    [Fact]
    public async Task A_release_and_the_same_agents_next_hold_queued_together_both_apply_in_order()
    {
        var campaign = await NewCampaignAsync();
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 2);
        Assert.NotNull(await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, None));

        var release = Cases.ReleaseAsync(Release(ids[0], ada), None);
        var hold = Cases.TryHoldAsync(ids[1], ada, T0.AddMinutes(6), Unclaimed, None);

        Assert.True(await release);
        Assert.NotNull(await hold);
        Assert.Equal(ada, (await Cases.GetAsync(ids[1], None))!.HolderAgentId);
    }

    [Fact]
    public async Task After_a_release_another_agent_can_hold_the_case()
    {
        var campaign = await NewCampaignAsync();
        var (ada, bob) = (await NewAgentAsync("Ada"), await NewAgentAsync("Bob"));
        var ids = await NewCasesAsync(campaign, 1);
        Assert.NotNull(await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, None));
        Assert.True(await Cases.ReleaseAsync(Release(ids[0], ada), None));

        Assert.NotNull(await Cases.TryHoldAsync(ids[0], bob, T0.AddMinutes(10), Unclaimed, None));
    }

    [Fact]
    public async Task Disposing_the_case_store_still_commits_what_was_queued()
    {
        var campaign = await NewCampaignAsync();
        var agents = await NewAgentsAsync(20);
        var ids = await NewCasesAsync(campaign, 20);
        var store = new CaseStore(Dialect, Engine.NewCommitter());

        var holds = agents.Select((agent, i) => store.TryHoldAsync(ids[i], agent, T0, Unclaimed, None)).ToList();
        await store.DisposeAsync();

        Assert.All(await Task.WhenAll(holds), Assert.NotNull);
        Assert.Equal(20, await ScalarAsync("SELECT count(*) FROM cases WHERE holder_agent_id IS NOT NULL"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.TryHoldAsync(ids[0], agents[0], T0, Unclaimed, None));
    }

    // ---- cases: saves, activities, lists, reminders -----------------------------------------------------

    [Fact]
    public async Task A_save_with_the_current_version_writes_status_form_and_activities()
    {
        var campaign = await NewCampaignAsync();
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 1);
        var before = (await Cases.GetAsync(ids[0], None))!;
        var form = new CaseForm(
            NextContactAt: T0.AddDays(3), AcquisitionStage: "demo", LeadSource: "fair", ExpectedCloseDate: new DateOnly(2025, 6, 30),
            ContractStage: "draft", Note: "wants a 3-year deal");
        var activities = new[]
        {
            CaseActivity.StatusChanged(CaseStatus.New, CaseStatus.Offered, T0.AddMinutes(1), "ada", "sent the offer"),
            CaseActivity.NoteChanged("wants a 3-year deal", T0.AddMinutes(1), "ada"),
        };

        var version = await Cases.SaveAsync(
            new CaseChange(ids[0], CaseStatus.Offered, CasePriority.High, ada, form, activities, T0.AddMinutes(1)), before.Version, None);

        var after = (await Cases.GetAsync(ids[0], None))!;
        Assert.Equal(before.Version + 1, version);
        Assert.Equal(before with
        {
            Status = CaseStatus.Offered,
            Priority = CasePriority.High,
            OwnerAgentId = ada,
            Form = form,
            UpdatedAt = T0.AddMinutes(1),
            Version = version,
        }, after);
        var stored = await Cases.ActivitiesAsync(ids[0], None);
        Assert.Equal(activities, stored.Select(a => a.Activity));
        Assert.All(stored, a => Assert.Equal(version, a.CaseVersion));
    }

    [Fact]
    public async Task A_save_with_a_stale_version_is_refused_and_writes_nothing()
    {
        var campaign = await NewCampaignAsync();
        var ids = await NewCasesAsync(campaign, 1);
        var before = (await Cases.GetAsync(ids[0], None))!;
        await SaveAsync(ids[0], CaseStatus.InAcquisition, new CaseForm(NextContactAt: T0.AddDays(1), AcquisitionStage: "a", LeadSource: "b"));

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Cases.SaveAsync(
            new CaseChange(ids[0], CaseStatus.Won, CasePriority.Low, null, CaseForm.Empty,
                [CaseActivity.StatusChanged(CaseStatus.New, CaseStatus.Won, T0, "bob")], T0),
            before.Version,
            None));

        Assert.Equal((before.Version + 1).ToString(CultureInfo.InvariantCulture), conflict.StoredEtag);
        Assert.Equal(CaseStatus.InAcquisition, (await Cases.GetAsync(ids[0], None))!.Status);
        Assert.Single(await Cases.ActivitiesAsync(ids[0], None));
    }

    [Fact]
    public async Task Holds_and_releases_raise_the_version_so_a_save_read_before_them_is_refused()
    {
        var campaign = await NewCampaignAsync();
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 1);
        var before = (await Cases.GetAsync(ids[0], None))!;

        Assert.NotNull(await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, None));
        var held = (await Cases.GetAsync(ids[0], None))!;
        Assert.True(await Cases.ReleaseAsync(Release(ids[0], ada), None));
        var released = (await Cases.GetAsync(ids[0], None))!;

        Assert.True(held.Version > before.Version);
        Assert.True(released.Version > held.Version);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Cases.SaveAsync(
            new CaseChange(ids[0], CaseStatus.Won, CasePriority.Low, null, CaseForm.Empty, [], T0), before.Version, None));
    }

    [Fact]
    public async Task Saving_a_case_that_does_not_exist_is_a_conflict()
    {
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Cases.SaveAsync(
            new CaseChange(55_555, CaseStatus.Won, CasePriority.Low, null, CaseForm.Empty, [], T0), 1, None));

        Assert.Null(conflict.StoredEtag);
    }

    [Fact]
    public async Task Activities_come_back_oldest_first_whatever_order_they_were_written_in()
    {
        var campaign = await NewCampaignAsync();
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 1);
        Assert.NotNull(await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, None));
        Assert.True(await Cases.ReleaseAsync(Release(ids[0], ada), None));
        var version = (await Cases.GetAsync(ids[0], None))!.Version;
        var late = new CaseActivity(CaseActivityKind.OwnerChanged, T0.AddMinutes(9), "supervisor", "7");
        var early = new CaseActivity(CaseActivityKind.PriorityChanged, T0.AddMinutes(1), "supervisor", "high");
        var tie = CaseActivity.Released("12", T0.AddMinutes(9), "hold timeout");

        await Cases.SaveAsync(new CaseChange(ids[0], CaseStatus.New, CasePriority.High, null, CaseForm.Empty, [late, early, tie], T0.AddMinutes(9)), version, None);

        var stored = await Cases.ActivitiesAsync(ids[0], None);
        Assert.Equal(
            [early, Release(ids[0], ada).Activity!, late, tie],
            stored.Select(a => a.Activity));
        Assert.True(stored.Select(a => a.Id).Distinct().Count() == 4);
        Assert.Empty(await Cases.ActivitiesAsync(ids[0] + 1000, None));
    }

    [Fact]
    public async Task The_case_list_filters_by_status_owner_and_period_and_pages()
    {
        var campaign = await NewCampaignAsync();
        var other = await NewCampaignAsync("Other");
        var (ada, bob) = (await NewAgentAsync("Ada"), await NewAgentAsync("Bob"));
        var ids = await NewCasesAsync(campaign, 12);
        await NewCasesAsync(other, 3);
        for (var i = 0; i < 6; i++)
        {
            await SaveAsync(ids[i], CaseStatus.InAcquisition, new CaseForm(NextContactAt: T0.AddDays(1), AcquisitionStage: "a", LeadSource: "b"),
                owner: i % 2 == 0 ? ada : bob, at: T0.AddDays(i));
        }

        var all = await Cases.ListAsync(new CaseQuery(campaign, PageSize: 5), None);
        Assert.Equal(12, all.Total);
        Assert.Equal(ids[..5], all.Items.Select(c => c.CaseId));
        var last = await Cases.ListAsync(new CaseQuery(campaign, Page: 3, PageSize: 5), None);
        Assert.Equal(ids[10..], last.Items.Select(c => c.CaseId));
        Assert.Equal((3, 5), (last.Page, last.PageSize));

        var adas = await Cases.ListAsync(new CaseQuery(campaign, CaseStatus.InAcquisition, ada), None);
        Assert.Equal([ids[0], ids[2], ids[4]], adas.Items.Select(c => c.CaseId));
        Assert.Equal(3, adas.Total);
        Assert.All(adas.Items, c => Assert.Equal((campaign, (long?)ada, CaseStatus.InAcquisition), (c.CampaignId, c.OwnerAgentId, c.Status)));

        var fresh = await Cases.ListAsync(new CaseQuery(campaign, CaseStatus.New), None);
        Assert.Equal(ids[6..], fresh.Items.Select(c => c.CaseId));
        Assert.All(fresh.Items, c => Assert.StartsWith("Contact +4420", c.ContactName, StringComparison.Ordinal));

        var period = await Cases.ListAsync(new CaseQuery(campaign, UpdatedFrom: T0.AddDays(2), UpdatedTo: T0.AddDays(4)), None);
        Assert.Equal([ids[2], ids[3]], period.Items.Select(c => c.CaseId));
        Assert.Equal(T0.AddDays(2), period.Items[0].UpdatedAt);

        Assert.Empty((await Cases.ListAsync(new CaseQuery(campaign, Page: 9, PageSize: 5), None)).Items);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Cases.ListAsync(new CaseQuery(campaign, Page: 0), None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Cases.ListAsync(new CaseQuery(campaign, PageSize: 0), None));
    }

    [Fact]
    public async Task Reminders_are_the_owners_callbacks_earliest_first()
    {
        var (one, two) = (await NewCampaignAsync("One"), await NewCampaignAsync("Two"));
        var (ada, bob) = (await NewAgentAsync("Ada"), await NewAgentAsync("Bob"));
        var a = await NewCasesAsync(one, 4);
        var b = await NewCasesAsync(two, 1);
        await SaveAsync(a[0], CaseStatus.InAcquisition, Acquisition(T0.AddHours(5)), owner: ada);
        await SaveAsync(a[1], CaseStatus.Offered, new CaseForm(NextContactAt: T0.AddHours(1), ContractStage: "sent"), owner: ada);
        await SaveAsync(a[2], CaseStatus.InAcquisition, Acquisition(T0.AddHours(2)), owner: bob);
        await SaveAsync(a[3], CaseStatus.Won, Acquisition(T0.AddHours(3)), owner: ada);
        await SaveAsync(b[0], CaseStatus.InAcquisition, Acquisition(T0.AddHours(3)), owner: ada);

        var reminders = (await Cases.RemindersAsync(new ReminderQuery(OwnerAgentId: ada), None)).Items;
        var inOne = (await Cases.RemindersAsync(new ReminderQuery(CampaignId: one, OwnerAgentId: ada), None)).Items;

        Assert.Equal([a[1], b[0], a[0]], reminders.Select(r => r.CaseId));
        Assert.Equal([T0.AddHours(1), T0.AddHours(3), T0.AddHours(5)], reminders.Select(r => r.NextContactAt));
        Assert.Equal(["One", "Two", "One"], reminders.Select(r => r.CampaignName));
        Assert.All(reminders, r => Assert.Equal("Ada", r.OwnerName));
        Assert.Equal([a[1], a[0]], inOne.Select(r => r.CaseId));
        Assert.Empty((await Cases.RemindersAsync(new ReminderQuery(OwnerAgentId: ada + bob + 100), None)).Items);
    }

    [Fact]
    public async Task Reminders_list_every_booked_callback_owned_or_not_and_an_agent_sees_only_its_own()
    {
        var campaign = await NewCampaignAsync();
        var (ada, bob) = (await NewAgentAsync("Ada"), await NewAgentAsync("Bob"));
        await Users.CreateAsync(new NewUser("ada", "ada", "ada", "hash", "agent", ada), None);
        await Users.CreateAsync(new NewUser("sue", "sue", "sue", "hash", "supervisor", null), None);
        var k = await NewCasesAsync(campaign, 6);
        var bobId = bob.ToString(CultureInfo.InvariantCulture);

        // Booked through the API (a web form's client, a supervisor): nobody owns these.
        await SaveAsync(k[0], CaseStatus.InAcquisition, Acquisition(T0.AddHours(5)), by: "api");
        await SaveAsync(k[1], CaseStatus.InAcquisition, Acquisition(T0.AddHours(2)), by: "ada");
        await SaveAsync(k[2], CaseStatus.Offered, new CaseForm(NextContactAt: T0.AddHours(3), ContractStage: "sent"), by: bobId);
        await SaveAsync(k[3], CaseStatus.InAcquisition, Acquisition(T0.AddHours(4)), owner: bob, by: "ada");
        await SaveAsync(k[4], CaseStatus.InAcquisition, Acquisition(T0.AddHours(6)), owner: ada, by: "sue");
        await SaveAsync(k[5], CaseStatus.Won, Acquisition(T0.AddHours(1)), by: "ada");

        var all = await Cases.RemindersAsync(new ReminderQuery(), None);
        var adas = await Cases.RemindersAsync(new ReminderQuery(VisibleTo: ada), None);
        var bobs = await Cases.RemindersAsync(new ReminderQuery(VisibleTo: bob), None);
        var unowned = await Cases.RemindersAsync(new ReminderQuery(Unowned: true), None);
        var firstTwo = await Cases.RemindersAsync(new ReminderQuery(PageSize: 2), None);

        Assert.Equal([k[1], k[2], k[3], k[0], k[4]], all.Items.Select(r => r.CaseId));
        Assert.Equal(5, all.Total);
        Assert.Equal(["ada", bobId, "ada", "api", "sue"], all.Items.Select(r => r.BookedBy));
        Assert.Equal([ada, bob, ada, null, null], all.Items.Select(r => r.BookedByAgentId));
        Assert.Equal([k[1], k[4]], adas.Items.Select(r => r.CaseId));
        Assert.Equal([k[2], k[3]], bobs.Items.Select(r => r.CaseId));
        Assert.Equal([k[1], k[2], k[0]], unowned.Items.Select(r => r.CaseId));
        Assert.Equal((5L, 2), (firstTwo.Total, firstTwo.Items.Count));

        // Rebooked by Bob: the callback is his now, no longer Ada's.
        await SaveAsync(k[1], CaseStatus.Offered, new CaseForm(NextContactAt: T0.AddHours(2), ContractStage: "sent"), by: bobId, at: T0.AddMinutes(1));
        Assert.Equal([k[4]], (await Cases.RemindersAsync(new ReminderQuery(VisibleTo: ada), None)).Items.Select(r => r.CaseId));
        Assert.Equal([k[1], k[2], k[3]], (await Cases.RemindersAsync(new ReminderQuery(VisibleTo: bob), None)).Items.Select(r => r.CaseId));
    }

    // ---- do-not-call, users, calls ---------------------------------------------------------------------

    [Fact]
    public async Task A_number_is_on_the_do_not_call_list_once_until_it_is_removed()
    {
        Assert.True(await DoNotCall.AddAsync("+442079460000", "asked us to stop", None));
        Assert.False(await DoNotCall.AddAsync("+442079460000", null, None));
        Assert.True(await DoNotCall.AddAsync("+12025550100", null, None));

        Assert.Equal(["+12025550100", "+442079460000"], await DoNotCall.AllAsync(None));
        Assert.True(await DoNotCall.RemoveAsync("+442079460000", None));
        Assert.False(await DoNotCall.RemoveAsync("+442079460000", None));
        Assert.Equal(["+12025550100"], await DoNotCall.AllAsync(None));
    }

    [Fact]
    public async Task A_do_not_call_number_that_is_not_E164_is_refused_naming_the_phone()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DoNotCall.AddAsync("020 7946 0000", null, None));

        Assert.Contains("phone", error.Message, StringComparison.Ordinal);
        Assert.Empty(await DoNotCall.AllAsync(None));
    }

    [Fact]
    public async Task The_cases_with_calls_never_ended_since_a_moment_are_listed_for_the_quarantine()
    {
        var campaign = await NewCampaignAsync();
        var other = await NewCampaignAsync("Other");
        var ids = await NewCasesAsync(campaign, 4);
        var elsewhere = await NewCasesAsync(other, 1);
        var ended = await Calls.StartAsync(new CallStart(ids[0], campaign, null, "+442079460001", T0), None);
        await Calls.EndAsync(new CallEnd(ended, null, null, T0.AddSeconds(30), CallOutcome.NoAnswer, false), None);
        await Calls.StartAsync(new CallStart(ids[1], campaign, null, "+442079460002", T0.AddMinutes(1)), None);
        await Calls.StartAsync(new CallStart(ids[1], campaign, null, "+442079460002", T0.AddMinutes(2)), None);
        await Calls.StartAsync(new CallStart(ids[2], campaign, null, "+442079460003", T0.AddMinutes(-20)), None);
        await Calls.StartAsync(new CallStart(elsewhere[0], other, null, "+442079460004", T0.AddMinutes(1)), None);

        Assert.Equal([ids[1]], await Calls.CasesWithOpenCallsAsync(campaign, T0, None));
        Assert.Equal([ids[1], ids[2]], (await Calls.CasesWithOpenCallsAsync(campaign, T0.AddHours(-1), None)).Order());
        Assert.Empty(await Calls.CasesWithOpenCallsAsync(campaign, T0.AddMinutes(3), None));
    }

    [Fact]
    public async Task Calls_are_started_and_ended_and_counted_for_the_abandon_rate()
    {
        var campaign = await NewCampaignAsync();
        var other = await NewCampaignAsync("Other");
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 5);
        var elsewhere = await NewCasesAsync(other, 1);
        async Task CallAsync(long caseId, long campaignId, DateTimeOffset at, CallOutcome outcome, bool answered, bool abandoned)
        {
            var call = await Calls.StartAsync(new CallStart(caseId, campaignId, abandoned ? null : ada, "+442079460001", at), None);
            await Calls.EndAsync(new CallEnd(call, abandoned ? null : ada, answered ? at.AddSeconds(5) : null, at.AddMinutes(1), outcome, abandoned), None);
        }

        await CallAsync(ids[0], campaign, T0.AddMinutes(-30), CallOutcome.Talked, answered: true, abandoned: false);
        await CallAsync(ids[1], campaign, T0.AddMinutes(1), CallOutcome.Talked, answered: true, abandoned: false);
        await CallAsync(ids[2], campaign, T0.AddMinutes(2), CallOutcome.Abandoned, answered: true, abandoned: true);
        await CallAsync(ids[3], campaign, T0.AddMinutes(3), CallOutcome.Abandoned, answered: false, abandoned: true);
        await CallAsync(ids[4], campaign, T0.AddMinutes(4), CallOutcome.NoAnswer, answered: false, abandoned: false);
        await CallAsync(elsewhere[0], other, T0.AddMinutes(4), CallOutcome.Abandoned, answered: true, abandoned: true);
        var open = await Calls.StartAsync(new CallStart(ids[0], campaign, ada, "+442079460001", T0.AddMinutes(5)), None);

        Assert.Equal((3, 2), await Calls.AbandonCountsAsync(campaign, T0, None));
        Assert.Equal((4, 2), await Calls.AbandonCountsAsync(campaign, T0.AddHours(-1), None));
        Assert.Equal((0, 0), await Calls.AbandonCountsAsync(campaign, T0.AddHours(1), None));
        Assert.True(open > 0);
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM calls WHERE ended_at IS NULL"));
        await Assert.ThrowsAsync<KeyNotFoundException>(
            () => Calls.EndAsync(new CallEnd(open + 100, null, null, T0, CallOutcome.Failed, false), None));
    }

    private static CaseForm Acquisition(DateTimeOffset next) => new(NextContactAt: next, AcquisitionStage: "call back", LeadSource: "web");

    private async Task SaveAsync(long caseId, CaseStatus status, CaseForm form, long? owner = null, DateTimeOffset? at = null, string by = "test")
    {
        var current = (await Cases.GetAsync(caseId, None))!;
        await Cases.SaveAsync(
            new CaseChange(caseId, status, current.Priority, owner ?? current.OwnerAgentId, form,
                [CaseActivity.StatusChanged(current.Status, status, at ?? T0, by)], at ?? T0),
            current.Version,
            None);
    }
}

internal static class TestSequences
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
