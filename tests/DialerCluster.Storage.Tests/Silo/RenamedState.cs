// One state shape under two names, in two namespaces: before and after a refactoring renamed and moved it.
namespace DialerCluster.Storage.Tests.Silo.Before
{
    public sealed class AgentPresence
    {
        public string Status { get; set; } = "";

        public DateTimeOffset Since { get; set; }

        public List<long> Campaigns { get; set; } = [];
    }
}

namespace DialerCluster.Storage.Tests.Silo.After
{
    public sealed class PresenceOfAgent
    {
        public string Status { get; set; } = "";

        public DateTimeOffset Since { get; set; }

        public List<long> Campaigns { get; set; } = [];
    }
}
