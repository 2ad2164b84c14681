using System.Security.Claims;
using DialerCluster.Host.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace DialerCluster.Host.Tests.Auth;

/// <summary>The bearer-ticket memory over a real Data Protection sealed format (ephemeral keys).</summary>
public sealed class RememberedTicketsTests
{
    private readonly CountingFormat _sealed = new(new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("tests")));

    [Fact]
    public void A_token_that_opened_is_answered_again_without_being_opened_again()
    {
        var tickets = new RememberedTickets(_sealed);
        var token = tickets.Protect(Ticket("ada"));

        var first = tickets.Unprotect(token);
        var second = tickets.Unprotect(token);

        Assert.Equal("ada", first!.Principal.Identity!.Name);
        Assert.Same(first, second);
        Assert.Equal(1, _sealed.Opened);
    }

    [Fact]
    public void A_tampered_token_is_refused_every_time_and_never_remembered()
    {
        var tickets = new RememberedTickets(_sealed);
        var token = tickets.Protect(Ticket("ada"));
        var tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");

        Assert.Null(tickets.Unprotect(tampered));
        Assert.Null(tickets.Unprotect(tampered));
        Assert.Equal(2, _sealed.Opened);
        Assert.NotNull(tickets.Unprotect(token));
    }

    [Fact]
    public void When_full_it_forgets_what_it_remembered_and_opens_tokens_again()
    {
        var tickets = new RememberedTickets(_sealed, capacity: 2);
        var tokens = new[] { "ada", "bob", "cyd" }.Select(name => tickets.Protect(Ticket(name))).ToArray();

        var names = tokens.Select(t => tickets.Unprotect(t)!.Principal.Identity!.Name).ToArray();
        var again = tickets.Unprotect(tokens[0]);

        Assert.Equal(new string?[] { "ada", "bob", "cyd" }, names);
        Assert.Equal("ada", again!.Principal.Identity!.Name);
        Assert.Equal(4, _sealed.Opened);
    }

    [Fact]
    public void A_token_asked_for_with_a_purpose_is_always_opened()
    {
        var tickets = new RememberedTickets(_sealed);
        var token = tickets.Protect(Ticket("ada"), "refresh");

        Assert.NotNull(tickets.Unprotect(token, "refresh"));
        Assert.NotNull(tickets.Unprotect(token, "refresh"));
        Assert.Null(tickets.Unprotect(token));
        Assert.Equal(3, _sealed.Opened);
    }

    private static AuthenticationTicket Ticket(string name) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "test")), "test");

    private sealed class CountingFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Opened { get; private set; }

        public string Protect(AuthenticationTicket data) => inner.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Opened++;
            return inner.Unprotect(protectedText, purpose);
        }
    }
}
