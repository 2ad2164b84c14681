namespace DialerCluster.Telephony;
