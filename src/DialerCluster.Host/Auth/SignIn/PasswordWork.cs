using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;

namespace DialerCluster.Host.Auth.SignIn;

/// <summary>The answer of a password check that may have to wait its turn.</summary>
public enum PasswordCheck
{
    Matches,
    Wrong,

    /// <summary>Too many hashes are already queued: try again shortly (503 with Retry-After).</summary>
    Busy,
}

/// <summary>
/// Password hashing (ASP.NET Identity's PBKDF2, deliberately slow: about 50 ms of CPU a hash here) behind its own
/// concurrency limit and queue. A flood of sign-ins then occupies at most <see cref="AuthOptions.HashingConcurrency"/>
/// threads (half the cores by default) while the rest of the host, /healthz and Next case included, keeps the others;
/// the queue beyond <see cref="AuthOptions.HashingQueue"/> is refused at once instead of piling up.
/// </summary>
internal sealed class PasswordWork : IDisposable
{
    // PasswordHasher reads nothing of the user; one placeholder serves every hash.
    private static readonly object Placeholder = new();

    private readonly PasswordHasher<object> _hasher = new();
    private readonly ConcurrencyLimiter _limiter;
    private readonly Lazy<string> _decoy;

    public PasswordWork(AuthOptions options)
    {
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.HashingConcurrency,
            QueueLimit = options.HashingQueue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        // A hash to check unknown user names against, so they cost what a wrong password costs.
        _decoy = new Lazy<string>(() => _hasher.HashPassword(Placeholder, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
    }

    /// <summary>Checks <paramref name="password"/> against <paramref name="hash"/>, or against a decoy when there is no user.</summary>
    public async ValueTask<PasswordCheck> VerifyAsync(string? hash, string password, CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            return PasswordCheck.Busy;
        }

        var verdict = _hasher.VerifyHashedPassword(Placeholder, hash ?? _decoy.Value, password);
        return hash is not null && verdict != PasswordVerificationResult.Failed ? PasswordCheck.Matches : PasswordCheck.Wrong;
    }

    /// <summary>The salted hash to store; null when the queue is full.</summary>
    public async ValueTask<string?> HashAsync(string password, CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(1, cancellationToken);
        return lease.IsAcquired ? _hasher.HashPassword(Placeholder, password) : null;
    }

    public void Dispose() => _limiter.Dispose();
}
