using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace DialerCluster.Telephony.Sip.Messages;

/// <summary>
/// Writes a SIP message into a growable buffer rented from the array pool; one per thread is reused
/// (<see cref="Rent"/>), so building a message costs no allocation until its bytes are kept for retransmission.
/// </summary>
internal sealed class SipWriter
{
    [ThreadStatic]
    private static SipWriter? _perThread;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(2048);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>This thread's writer, emptied. Not re-entrant: finish one message (ToArray) before starting another.</summary>
    public static SipWriter Rent()
    {
        var writer = _perThread ??= new SipWriter();
        writer.Length = 0;
        return writer;
    }

    public byte[] ToArray() => Written.ToArray();

    public SipWriter Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
        return this;
    }

    public SipWriter Append(string text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        Length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(Length));
        return this;
    }

    public SipWriter Append(long number)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(number, _buffer.AsSpan(Length), out var written);
        Length += written;
        return this;
    }

    public SipWriter Append(byte b)
    {
        Ensure(1);
        _buffer[Length++] = b;
        return this;
    }

    public SipWriter CrLf() => Append("\r\n"u8);

    public SipWriter Header(ReadOnlySpan<byte> name, string value) => Append(name).Append(": "u8).Append(value).CrLf();

    public SipWriter Header(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Append(name).Append(": "u8).Append(value).CrLf();

    /// <summary>Content-Length, the blank line and the body: the end of every message.</summary>
    public SipWriter Body(ReadOnlySpan<byte> contentType, ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty)
        {
            Header("Content-Type"u8, contentType);
        }

        return Append("Content-Length: "u8).Append(body.Length).CrLf().CrLf().Append(body);
    }

    private void Ensure(int more)
    {
        if (Length + more <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + more));
        _buffer.AsSpan(0, Length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
