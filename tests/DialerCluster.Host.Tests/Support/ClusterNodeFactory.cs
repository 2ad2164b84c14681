using Microsoft.AspNetCore.Hosting;

namespace DialerCluster.Host.Tests.Support;

/// <summary>
/// One node of a cluster: the real host on a shared PostgreSQL database, with a data folder of its own (as a node on
/// another machine has), so nothing but the database is shared between nodes.
/// </summary>
public sealed class ClusterNodeFactory(string postgres) : DialerHostFactory
{
    protected override void ConfigureHost(IWebHostBuilder builder) => builder.UseSetting("Storage:Postgres", postgres);
}
