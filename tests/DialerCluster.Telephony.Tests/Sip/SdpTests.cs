using System.Net;
using System.Text;
using DialerCluster.Telephony.Sip.Sdp;

namespace DialerCluster.Telephony.Tests.Sip;

public sealed class SdpTests
{
    [Fact]
    public void The_offer_points_media_at_this_node_with_pcmu_pcma_and_telephone_event()
    {
        var offer = Encoding.ASCII.GetString(SdpOffer.Write(IPAddress.Parse("192.0.2.7"), 20002, 42));

        Assert.Contains("c=IN IP4 192.0.2.7\r\n", offer, StringComparison.Ordinal);
        Assert.Contains("m=audio 20002 RTP/AVP 0 8 101\r\n", offer, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n", offer, StringComparison.Ordinal);
        Assert.StartsWith("v=0\r\no=- 42 1 IN IP4 192.0.2.7\r\n", offer, StringComparison.Ordinal);
        Assert.Contains("c=IN IP6 ::1\r\n", Encoding.ASCII.GetString(SdpOffer.Write(IPAddress.IPv6Loopback, 20002, 1)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_answer_gives_the_media_level_address_and_the_first_common_codec()
    {
        var body = "v=0\r\no=x 1 1 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 18 8 0 101\r\nc=IN IP4 198.51.100.2\r\na=rtpmap:8 PCMA/8000\r\n"u8;

        Assert.True(SdpAnswer.TryParse(body, out var answer));
        Assert.Equal(new SdpAnswer(new IPEndPoint(IPAddress.Parse("198.51.100.2"), 30000), 8), answer);
    }

    [Fact]
    public void A_session_level_address_serves_when_the_stream_has_none()
    {
        Assert.True(SdpAnswer.TryParse("v=0\nc=IN IP6 ::1\nm=audio 4000 RTP/AVP 0\n"u8, out var answer));
        Assert.Equal(new SdpAnswer(new IPEndPoint(IPAddress.IPv6Loopback, 4000), 0), answer);
    }

    [Theory]
    [InlineData("v=0\r\nc=IN IP4 198.51.100.1\r\nm=audio 0 RTP/AVP 0\r\n")]
    [InlineData("v=0\r\nc=IN IP4 198.51.100.1\r\nm=audio 4000 RTP/AVP 18\r\n")]
    [InlineData("v=0\r\nm=audio 4000 RTP/AVP 0\r\n")]
    [InlineData("v=0\r\nc=IN IP4 198.51.100.1\r\nm=video 4000 RTP/AVP 0\r\n")]
    [InlineData("not sdp")]
    public void A_rejected_stream_no_common_codec_or_no_address_gives_no_media(string body) =>
        Assert.False(SdpAnswer.TryParse(Encoding.ASCII.GetBytes(body), out _));
}
