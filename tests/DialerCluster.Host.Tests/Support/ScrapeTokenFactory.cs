using Microsoft.AspNetCore.Hosting;

namespace DialerCluster.Host.Tests.Support;

/// <summary>The real host in memory with a metrics scrape token set (Metrics:ScrapeToken), on a throwaway SQLite file.</summary>
public sealed class ScrapeTokenFactory : DialerHostFactory
{
    public const string Token = "scrape-token-for-tests-0123";

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Metrics:ScrapeToken", Token);
        builder.UseSetting("Metrics:SampleSeconds", "1");
    }
}
