namespace DialerCluster.Runtime;

/// <summary>Hands out references to grains. A reference is cheap; the grain is activated by its first call.</summary>
public interface IGrainFactory
{
    GrainRef<TGrain> GetGrain<TGrain>(string key) where TGrain : Grain;
}
