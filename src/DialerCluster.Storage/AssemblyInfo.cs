namespace DialerCluster.Storage;
