namespace DialerCluster.Dialing.Stores;

/// <summary>
/// Leases for one-off set-up work that several nodes starting together would otherwise each do (and so do twice).
/// A lease is taken when it is free or expired, so a node that died holding one blocks the others only until then.
/// </summary>
public interface ISetupLeaseStore
{
    /// <returns>True when <paramref name="holder"/> now holds <paramref name="name"/> until now + <paramref name="lifetime"/>.</returns>
    Task<bool> TryAcquireAsync(string name, string holder, DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Lets go of the lease if <paramref name="holder"/> still holds it.</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken);
}
