namespace DialerCluster.Storage;

/// <summary>A storage setting is missing or malformed; the message names the setting and the reason.</summary>
public sealed class StorageConfigurationException : Exception
{
    public StorageConfigurationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
