using System.Net;
using DialerCluster.Host.Tests.Support;
using DialerCluster.Telephony.Sip;
using DialerCluster.Testing.Sipp;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.DialedLeads;

/// <summary>/healthz: health checks, with the SIP trunk's OPTIONS ping: Healthy while it answers, Degraded while it does not.</summary>
public sealed class SipHealthTests
{
    [Fact(Timeout = 120_000)]
    public async Task With_the_simulated_carrier_healthz_is_healthy()
    {
        await using var factory = new DialerApiFactory();
        using var client = factory.CreateClient();

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await HealthAsync(client));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_sip_trunk_that_answers_options_is_healthy()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.AnswerThenWeHangUp(), Calls: 1000));
        await using var factory = new SipDialerFactory(carrier.Trunk, optionsIntervalSeconds: 1);
        using var client = factory.CreateClient();

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await UntilAsync(client, "Healthy"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Before_the_trunk_has_answered_a_ping_healthz_is_degraded()
    {
        var silent = $"127.0.0.1:{FreePorts.Take(IPAddress.Loopback, tcp: false)}";
        await using var factory = new SipDialerFactory(silent, optionsIntervalSeconds: 600);
        using var client = factory.CreateClient();

        Assert.Null(factory.Services.GetRequiredService<SipGateway>().TrunkStatus.Reachable);
        Assert.Equal((HttpStatusCode.OK, "Degraded"), await HealthAsync(client));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_sip_trunk_that_leaves_the_ping_unanswered_is_degraded_and_healthz_still_answers_200()
    {
        var silent = $"127.0.0.1:{FreePorts.Take(IPAddress.Loopback, tcp: false)}";
        await using var factory = new SipDialerFactory(silent, optionsIntervalSeconds: 1);
        using var client = factory.CreateClient();
        var gateway = factory.Services.GetRequiredService<SipGateway>();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (gateway.TrunkStatus.Reachable is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(gateway.TrunkStatus.Reachable);
        Assert.Equal((HttpStatusCode.OK, "Degraded"), await HealthAsync(client));
    }

    private static async Task<(HttpStatusCode, string)> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/healthz");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode, string)> UntilAsync(HttpClient client, string wanted)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var health = await HealthAsync(client);
            if (health.Item2 == wanted || DateTime.UtcNow > deadline)
            {
                return health;
            }

            await Task.Delay(100);
        }
    }
}
