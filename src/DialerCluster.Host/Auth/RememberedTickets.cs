using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;

namespace DialerCluster.Host.Auth;

/// <summary>
/// Bearer tokens as issued (sealed by Data Protection), but each token opened once: opening one costs a key
/// derivation, an HMAC and an AES decryption, which measured at a tenth of the host's CPU under a Next case
/// storm, for the same few thousand agents' tokens over and over. A token is remembered only after it opened,
/// keyed by its exact text, so nothing is accepted that would not be; the handler still checks the expiry
/// sealed in the ticket on every request. Bounded: when full, forgotten tokens are simply opened again.
/// </summary>
internal sealed class RememberedTickets(ISecureDataFormat<AuthenticationTicket> sealedTickets, int capacity = RememberedTickets.DefaultCapacity)
    : ISecureDataFormat<AuthenticationTicket>
{
    public const int DefaultCapacity = 50_000;

    private readonly ConcurrentDictionary<string, AuthenticationTicket> _opened = new(StringComparer.Ordinal);

    public string Protect(AuthenticationTicket data) => sealedTickets.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => sealedTickets.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null)
        {
            return sealedTickets.Unprotect(protectedText, purpose);
        }

        if (_opened.TryGetValue(protectedText, out var ticket))
        {
            return ticket;
        }

        ticket = sealedTickets.Unprotect(protectedText);
        if (ticket is not null)
        {
            if (_opened.Count >= capacity)
            {
                _opened.Clear();
            }

            _opened[protectedText] = ticket;
        }

        return ticket;
    }
}
