namespace DialerCluster.Dialing.Grains;

/// <summary>
/// One case (keyed by the case's id): its record, contact and history, and every change to its status, form,
/// priority and owner, checked by the funnel rules and written version-checked. Never calls up.
/// </summary>
public interface ICaseGrain : IGrainWithIntegerKey
{
    /// <summary>The case and its contact. 404 for an unknown id.</summary>
    Task<CaseView> ViewAsync();

    /// <summary>The case, its contact and its whole activity history.</summary>
    Task<CaseDetails> DetailsAsync();

    /// <summary>Applies a change: 422 listing every missing or invalid field, 409 when stale or held by another agent.</summary>
    Task<Stores.CaseRecord> ApplyAsync(CasePatch patch);
}
