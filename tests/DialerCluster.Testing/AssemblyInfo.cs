namespace DialerCluster.Testing;
