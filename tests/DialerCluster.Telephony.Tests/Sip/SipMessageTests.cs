using System.Text;
using DialerCluster.Telephony.Sip.Messages;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Telephony.Tests.Sip;

public sealed class SipMessageTests
{
    private const string Answer =
        "SIP/2.0 200 OK\r\n" +
        "v: SIP/2.0/UDP 127.0.0.1:5062;rport=5062;branch=z9hG4bKabc.1, SIP/2.0/UDP 10.0.0.9;branch=z9hG4bKother\r\n" +
        "f: \"Dialer; Inc\" <sip:+15550100000@trunk;user=phone>;tag=ours-1\r\n" +
        "t: <sip:+15550100001@trunk>;tag=theirs-9\r\n" +
        "i: call-42@dialer\r\n" +
        "CSeq: 7 INVITE\r\n" +
        "Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>\r\n" +
        "m: <sip:callee@192.0.2.5:5060;transport=udp>\r\n" +
        "Subject: a folded\r\n  header value\r\n" +
        "c: application/sdp\r\n" +
        "l: 4\r\n\r\nv=0\r\nIGNORED";

    [Fact]
    public void A_response_with_compact_and_folded_headers_is_read_in_place()
    {
        var message = Parse(Answer, out var error);

        Assert.Equal(SipParseError.None, error);
        Assert.False(message.IsRequest);
        Assert.Equal((200, "OK", 7, SipMethod.Invite), (message.StatusCode, Text(message.ReasonPhrase), message.CSeq, message.Method));
        Assert.Equal(("call-42@dialer", "ours-1", "theirs-9", "z9hG4bKabc.1"), (Text(message.CallId), Text(message.FromTag), Text(message.ToTag), Text(message.Branch)));
        Assert.Equal("SIP/2.0/UDP 127.0.0.1:5062;rport=5062;branch=z9hG4bKabc.1", Text(message.TopVia));
        Assert.Equal("v=0\r", Text(message.Body));
        Assert.True(message.TryGet(SipHeader.Contact, out var contact));
        Assert.Equal("<sip:callee@192.0.2.5:5060;transport=udp>", Text(contact));
    }

    [Fact]
    public void A_request_keeps_its_method_and_uri()
    {
        var message = Parse("BYE sip:dialer@10.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.2;branch=z9hG4bK77\r\nFrom: <sip:a@b>;tag=x\r\nTo: <sip:c@d>;tag=y\r\nCall-ID: 1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n", out var error);

        Assert.Equal(SipParseError.None, error);
        Assert.Equal((true, SipMethod.Bye, "sip:dialer@10.0.0.1:5060", 0), (message.IsRequest, message.Method, Text(message.RequestUri), message.ContentLength));
    }

    [Theory]
    [InlineData("", "KeepAlive")]
    [InlineData("\r\n\r\n", "KeepAlive")]
    [InlineData("SIP/2.0 99 Too Low\r\n", "BadStartLine")]
    [InlineData("SIP/2.0 700 Too High\r\n", "BadStartLine")]
    [InlineData("SIP/3.0 200 OK\r\n", "BadStartLine")]
    [InlineData("INVITE sip:x SIP/2.1\r\n", "BadStartLine")]
    [InlineData("INV ITE sip:x SIP/2.0\r\n", "BadStartLine")]
    [InlineData("INVITE nouri SIP/2.0\r\n", "BadStartLine")]
    [InlineData("SIP/2.0 200 OK\nVia: x\n\n", "BadStartLine")]
    public void A_bad_start_line_is_refused(string text, string expected) => Assert.Equal(expected, ParseError(text).ToString());

    [Theory]
    [InlineData("Call-ID: a\r\n", "MissingHeader")]
    [InlineData("Call-ID: a\r\nCSeq: 1 INVITE\r\nCall-ID: b\r\n", "BadHeader")]
    [InlineData("Call-ID: a\r\nCSeq: x INVITE\r\n", "BadCSeq")]
    [InlineData("Call-ID: a\r\nCSeq: 99999999999 INVITE\r\n", "BadCSeq")]
    [InlineData("Call-ID: a\r\nCSeq: 1 INVITE\r\nContent-Length: -1\r\n", "BadContentLength")]
    [InlineData("Call-ID: a\r\nCSeq: 1 INVITE\r\nContent-Length: 1\r\nl: 2\r\n", "BadContentLength")]
    [InlineData("Call-ID: a\r\nCSeq: 1 INVITE\r\nContent-Length: 10\r\n", "Truncated")]
    [InlineData("Call-ID: a\r\nCSeq: 1 INVITE\r\nNo colon here\r\n", "BadHeader")]
    [InlineData("Call-ID: a\r\nCSeq: 1 INVITE\r\nBad\0Header: x\r\n", "BadHeader")]
    [InlineData("Call-ID: a b\r\nCSeq: 1 INVITE\r\n", "BadHeader")]
    public void Missing_doubled_or_malformed_headers_are_refused(string headers, string expected) =>
        Assert.Equal(expected, ParseError("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\n" + headers + "\r\n").ToString());

    [Theory]
    [InlineData("Via: SIP/2.0/UDP h\r\n")]
    [InlineData("Via: SIP/1.0/UDP h;branch=z9hG4bK1\r\n")]
    [InlineData("Via: SIP/2.0/UDP h;branch=\r\n")]
    public void A_via_without_a_branch_is_refused(string via) =>
        Assert.Equal(SipParseError.BadVia, ParseError("SIP/2.0 200 OK\r\n" + via + "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: a\r\nCSeq: 1 INVITE\r\n\r\n"));

    [Fact]
    public void A_request_whose_cseq_method_differs_from_its_method_is_refused() =>
        Assert.Equal(SipParseError.BadCSeq, ParseError("BYE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: a\r\nCSeq: 1 INVITE\r\n\r\n"));

    [Fact]
    public void More_than_the_header_limit_is_refused()
    {
        var many = string.Concat(Enumerable.Repeat("X-Pad: 1\r\n", SipMessage.MaxHeaders));
        Assert.Equal(SipParseError.TooManyHeaders, ParseError("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n" + many + "\r\n"));
    }

    [Fact]
    public void Stream_framing_reads_the_head_length_and_content_length()
    {
        var bytes = Encoding.ASCII.GetBytes(Answer);
        var head = SipMessage.HeadLength(bytes);

        Assert.Equal(Answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4, head);
        Assert.Equal(4, SipMessage.ContentLengthOf(bytes.AsSpan(0, head)));
        Assert.Equal(-1, SipMessage.HeadLength("SIP/2.0 200 OK\r\nVia: x\r\n"u8));
    }

    [Fact]
    public void Any_bytes_at_all_are_parsed_or_refused_without_throwing() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var message = new SipMessage();
            var error = message.TryParse(bytes);
            return error == SipParseError.None ? message.CallId.Length > 0 : message.HeaderCount == 0;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Any_mangling_of_a_valid_message_is_parsed_or_refused_without_throwing() =>
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), ArbMap.Default.ArbFor<byte>(), (position, value) =>
        {
            var bytes = Encoding.ASCII.GetBytes(Answer);
            bytes[Math.Abs(position % bytes.Length)] = value;
            new SipMessage().TryParse(bytes);
            new SipMessage().TryParse(bytes.AsMemory(0, Math.Abs(position % bytes.Length)));
            return true;
        }).QuickCheckThrowOnFailure();

    private static SipMessage Parse(string text, out SipParseError error)
    {
        var message = new SipMessage();
        error = message.TryParse(Encoding.UTF8.GetBytes(text));
        return message;
    }

    private static SipParseError ParseError(string text) => new SipMessage().TryParse(Encoding.UTF8.GetBytes(text));

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
