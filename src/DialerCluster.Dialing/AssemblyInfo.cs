namespace DialerCluster.Dialing;
