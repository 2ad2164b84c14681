using System.Net;
using DialerCluster.Host.Tests.Support;
using DialerCluster.Testing.Sipp;

namespace DialerCluster.Host.Tests.DialedLeads;

/// <summary>/healthz: health checks, with the SIP trunk's OPTIONS ping: Healthy while it answers, Degraded while it does not.</summary>
public sealed class SipHealthTests
{
    [Fact(Timeout = 60_000)]
    public async Task With_the_simulated_carrier_healthz_is_healthy()
    {
        await using var factory = new DialerApiFactory();
        using var client = factory.CreateClient();

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await HealthAsync(client));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_sip_trunk_that_answers_options_is_healthy()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.AnswerThenWeHangUp(), Calls: 1000));
        await using var factory = new SipDialerFactory(carrier.Trunk, optionsIntervalSeconds: 1);
        using var client = factory.CreateClient();

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await UntilAsync(client, "Healthy"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_sip_trunk_that_does_not_answer_is_degraded_and_healthz_still_answers_200()
    {
        var silent = $"127.0.0.1:{FreePorts.Take(IPAddress.Loopback, tcp: false)}";
        await using var factory = new SipDialerFactory(silent, optionsIntervalSeconds: 1);
        using var client = factory.CreateClient();

        // Degraded from the start (no answer yet) and after the first ping has gone unanswered.
        Assert.Equal((HttpStatusCode.OK, "Degraded"), await HealthAsync(client));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
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
