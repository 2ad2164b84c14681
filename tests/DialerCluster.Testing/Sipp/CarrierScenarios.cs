namespace DialerCluster.Testing.Sipp;

/// <summary>
/// SIPp scenarios that play the carrier (a user agent server) for the SIP gateway tests. Each captures the caller's
/// From, To, Contact and CSeq from the INVITE so it can answer CANCEL with a 487 and send its own BYE.
/// </summary>
public static class CarrierScenarios
{
    private const string Captures = """
          <action>
            <ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="caller"/>
            <ereg regexp=".*" search_in="hdr" header="To:" check_it="true" assign_to="callee"/>
            <ereg regexp="sip:[^>]*" search_in="hdr" header="Contact:" check_it="true" assign_to="contact"/>
            <ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" check_it="true" assign_to="invite_cseq"/>
          </action>
        """;

    private const string Contact = "Contact: <sip:carrier@[local_ip]:[local_port];transport=[transport]>";

    public static string AnswerThenCustomerHangsUp(int talkMilliseconds = 300) => Scenario("answer, then the customer hangs up", $"""
        {ReceiveInvite()}
        {Respond("100 Trying", tag: false)}
        {Respond("180 Ringing")}
        {Answer()}
        <recv request="ACK"/>
        <pause milliseconds="{talkMilliseconds}"/>
        {CustomerBye()}
        <recv response="200"/>
        """);

    public static string AnswerThenWeHangUp() => Scenario("answer, then we hang up", $"""
        {ReceiveInvite()}
        {Respond("100 Trying", tag: false)}
        {Respond("180 Ringing")}
        {Answer()}
        <recv request="ACK"/>
        <recv request="BYE"/>
        {Respond("200 OK", tag: false)}
        """);

    public static string Refuses(int status, string reason) => Scenario($"refuses with {status}", $"""
        {ReceiveInvite()}
        {Respond("100 Trying", tag: false)}
        {Respond($"{status} {reason}")}
        <recv request="ACK"/>
        """);

    /// <summary>Rings until the caller cancels: 200 to the CANCEL, 487 to the INVITE, then the ACK. No 100 first: a
    /// CANCEL may follow the first provisional at once, and SIPp aborts on one that comes while it is still sending.</summary>
    public static string RingsUntilCancelled() => Scenario("rings until cancelled", $"""
        {ReceiveInvite()}
        {Respond("180 Ringing")}
        <recv request="CANCEL"/>
        {Respond("200 OK", tag: false)}
        <send>
          <![CDATA[
          SIP/2.0 487 Request Terminated
          [last_Via:]
          From:[$caller]
          To:[$callee];tag=[pid]SIPpTag01[call_number]
          [last_Call-ID:]
          CSeq: [$invite_cseq] INVITE
          Content-Length: 0

          ]]>
        </send>
        <recv request="ACK"/>
        """);

    /// <summary>A 180, then a 183 Session Progress with SDP (early media), then the answer; we hang up.</summary>
    public static string EarlyMediaThenAnswer() => Scenario("180, 183 with SDP, answer", $"""
        {ReceiveInvite()}
        {Respond("180 Ringing")}
        {Respond("183 Session Progress", sdp: true)}
        <pause milliseconds="200"/>
        {Answer()}
        <recv request="ACK"/>
        <recv request="BYE"/>
        {Respond("200 OK", tag: false)}
        """);

    /// <summary>The first 200 is lost on the way (SIPp's lost="100" drops every copy of a send, so the retransmission
    /// is a second send of the same 200 after T1, retransmitted until the ACK comes).</summary>
    public static string LosesTheFirstAnswer() => Scenario("the first 200 is lost", $"""
        {ReceiveInvite()}
        {Respond("180 Ringing")}
        {Respond("200 OK", sdp: true, lost: true)}
        <pause milliseconds="500"/>
        {Answer()}
        <recv request="ACK"/>
        <recv request="BYE"/>
        {Respond("200 OK", tag: false)}
        """);

    /// <summary>401 with a fixed nonce, then the answer to the authenticated retry; we hang up.</summary>
    public static string ChallengesOnce(string algorithm) => Scenario("401, then 200", $"""
        {ReceiveInvite()}
        {Challenge(algorithm)}
        <recv request="ACK"/>
        {ReceiveInvite()}
        {Respond("100 Trying", tag: false)}
        {Answer()}
        <recv request="ACK"/>
        <recv request="BYE"/>
        {Respond("200 OK", tag: false)}
        """);

    public static string ChallengesTwice() => Scenario("401 twice", $"""
        {ReceiveInvite()}
        {Challenge("MD5")}
        <recv request="ACK"/>
        {ReceiveInvite()}
        {Challenge("MD5")}
        <recv request="ACK"/>
        """);

    /// <summary>The first call SIPp receives is busy (486); every later one is answered and hung up by the customer.</summary>
    public static string FirstBusyThenAnswered(int talkMilliseconds) => Scenario("first busy, then answered", $"""
        {ReceiveInvite()}
        <nop>
          <action>
            <assignstr assign_to="number" value="[call_number]"/>
            <todouble assign_to="n" variable="number"/>
            <test assign_to="first" variable="n" compare="equal" value="1"/>
          </action>
        </nop>
        <nop test="first" next="busy"/>
        {Respond("180 Ringing")}
        {Answer()}
        <recv request="ACK"/>
        <pause milliseconds="{talkMilliseconds}"/>
        {CustomerBye()}
        <recv response="200" next="end"/>
        <label id="busy"/>
        {Respond("486 Busy Here")}
        <recv request="ACK"/>
        <label id="end"/>
        """);

    public const string Realm = "carrier.test";
    public const string Nonce = "6c1f2b0d5e4a-fixed-nonce";
    public const string Opaque = "op-4711";

    private static string Challenge(string algorithm) => $"""
        <send>
          <![CDATA[
          SIP/2.0 401 Unauthorized
          [last_Via:]
          [last_From:]
          [last_To:];tag=[pid]SIPpTag01[call_number]
          [last_Call-ID:]
          [last_CSeq:]
          WWW-Authenticate: Digest realm="{Realm}", nonce="{Nonce}", opaque="{Opaque}", algorithm={algorithm}, qop="auth"
          Content-Length: 0

          ]]>
        </send>
        """;

    private static string ReceiveInvite() => $"""
        <recv request="INVITE">
        {Captures}
        </recv>
        """;

    private static string Respond(string statusLine, bool tag = true, bool sdp = false, bool lost = false, bool retransmit = false) => $"""
        <send{(lost ? " lost=\"100\"" : string.Empty)}{(retransmit ? " retrans=\"500\"" : string.Empty)}>
          <![CDATA[
          SIP/2.0 {statusLine}
          [last_Via:]
          [last_From:]
          [last_To:]{(tag ? ";tag=[pid]SIPpTag01[call_number]" : string.Empty)}
          [last_Call-ID:]
          [last_CSeq:]
          {Contact}
          {(sdp ? Sdp : "Content-Length: 0")}

          ]]>
        </send>
        """;

    private static string Answer(bool lost = false) => Respond("200 OK", sdp: true, lost: lost, retransmit: true);

    private static string CustomerBye() => """
        <send retrans="500">
          <![CDATA[
          BYE [$contact] SIP/2.0
          Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
          From:[$callee];tag=[pid]SIPpTag01[call_number]
          To:[$caller]
          Call-ID: [call_id]
          CSeq: 1 BYE
          Max-Forwards: 70
          Content-Length: 0

          ]]>
        </send>
        """;

    private const string Sdp = """
          Content-Type: application/sdp
          Content-Length: [len]

          v=0
          o=carrier 53655765 2353687637 IN IP[media_ip_type] [media_ip]
          s=-
          c=IN IP[media_ip_type] [media_ip]
          t=0 0
          m=audio [media_port] RTP/AVP 0 101
          a=rtpmap:0 PCMU/8000
          a=rtpmap:101 telephone-event/8000
        """;

    /// <summary>How long SIPp keeps an ended call to absorb retransmissions (a late BYE, a retransmitted ACK); without it
    /// such a retransmission opens a new, failed call in SIPp's statistics.</summary>
    private const int TimeWait = 4000;

    // SIPp refuses a variable set but never read; the captures are common to all scenarios, so each reads them once here.
    private static string Scenario(string name, string body) => $"""
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="{name}">
        {body}
        <nop><action><log message="[$caller] [$callee] [$contact] [$invite_cseq]"/></action></nop>
        <timewait milliseconds="{TimeWait}"/>
        </scenario>
        """;
}
