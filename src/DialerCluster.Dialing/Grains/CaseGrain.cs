using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Stores;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// One case: its record, contact and history, and every change to its status, form, priority and owner,
/// checked by <see cref="FunnelRules"/> and written version-checked. Called by its campaign (which then
/// updates its queue index) and by the agent holding it; never calls up. Holds and releases are written by
/// the campaign's hot path straight to the store, so this grain keeps no copy of the case that they could
/// leave stale: every use reads it (cases are viewed and edited far less often than they are taken).
/// </summary>
internal sealed class CaseGrain(
    ICaseStore cases,
    IContactStore contacts,
    [FromKeyedServices(DialerClock.Key)] TimeProvider clock) : Grain, ICaseGrain
{
    private long _id;

    // Contacts are never changed once stored, so the one of this case can be kept.
    private ContactRecord? _contact;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = this.GetPrimaryKeyLong();
        return Task.CompletedTask;
    }

    public async Task<CaseView> ViewAsync()
    {
        var current = await CurrentAsync();
        return new CaseView(current, await ContactAsync(current));
    }

    public async Task<CaseDetails> DetailsAsync()
    {
        var current = await CurrentAsync();
        var contact = await ContactAsync(current);
        return new CaseDetails(current, contact, await cases.ActivitiesAsync(_id, CancellationToken.None));
    }

    public async Task<CaseRecord> ApplyAsync(CasePatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var current = await CurrentAsync();
        for (var attempt = 0; ; attempt++)
        {
            if (patch.ExpectedVersion is { } expected && expected != current.Version)
            {
                throw new RequestRefusedException(
                    Refusal.Conflict, "version", $"the case is at version {current.Version}, not {expected}: reload it and try again");
            }

            if (patch.EditingAgentId is { } editor && current.HolderAgentId is { } holder && holder != editor)
            {
                throw new RequestRefusedException(
                    Refusal.Conflict, "agentId", $"case {_id} is held by agent {holder}: only they save it until they complete it or their hold times out");
            }

            var now = clock.GetUtcNow();
            var decision = FunnelRules.Apply(current.Status, current.Form, patch.Status, patch.Form, patch.By, now);
            if (!decision.IsAccepted)
            {
                throw new RequestRefusedException(Refusal.Unprocessable, decision.Errors);
            }

            var activities = new List<CaseActivity>(decision.Activities);
            var priority = patch.Priority ?? current.Priority;
            if (priority != current.Priority)
            {
                activities.Add(new CaseActivity(CaseActivityKind.PriorityChanged, now, patch.By, priority.ToWire()));
            }

            var owner = patch.ChangeOwner ? patch.OwnerAgentId : current.OwnerAgentId;
            if (owner != current.OwnerAgentId)
            {
                activities.Add(new CaseActivity(CaseActivityKind.OwnerChanged, now, patch.By, owner is { } o ? GrainKeys.Of(o) : null));
            }

            if (decision.Status == current.Status && decision.Form == current.Form && activities.Count == 0)
            {
                return current;
            }

            var change = new CaseChange(_id, decision.Status, priority, owner, decision.Form, activities, now);
            long version;
            try
            {
                version = await cases.SaveAsync(change, current.Version, CancellationToken.None);
            }
            catch (InconsistentStateException) when (attempt == 0 && patch.ExpectedVersion is null)
            {
                // Most likely the dialer held or released the case since we read it. The patch is a merge, so
                // applying it again to the fresh record, rules checked again, overwrites nothing blindly.
                current = await CurrentAsync();
                continue;
            }
            catch (InconsistentStateException)
            {
                // Handled here, not rethrown: Orleans would deactivate the grain, but the next use reads afresh anyway.
                throw new RequestRefusedException(Refusal.Conflict, "version", "the case was changed by someone else meanwhile: reload it and try again");
            }

            return current with
            {
                Status = decision.Status,
                Form = decision.Form,
                Priority = priority,
                OwnerAgentId = owner,
                UpdatedAt = now,
                Version = version,
            };
        }
    }

    private async Task<CaseRecord> CurrentAsync()
    {
        var loaded = await cases.GetAsync(_id, CancellationToken.None);
        if (loaded is null)
        {
            DeactivateOnIdle();
            throw RequestRefusedException.NotFound("caseId", "case", _id);
        }

        return loaded;
    }

    private async Task<ContactRecord?> ContactAsync(CaseRecord current)
    {
        if (_contact?.Id != current.ContactId)
        {
            _contact = await contacts.GetAsync(current.ContactId, CancellationToken.None);
        }

        return _contact;
    }
}
