using System.Text;
using DialerCluster.Dialing.Contacts;

namespace DialerCluster.Dialing.Tests.Contacts;

/// <summary>Runs the reader on in-memory files.</summary>
internal static class Import
{
    public static Task<ContactImportResult> Csv(string text, string defaultCountry = "GB", string fileName = "contacts.csv") =>
        Bytes(Encoding.UTF8.GetBytes(text), fileName, defaultCountry);

    public static async Task<ContactImportResult> Bytes(
        byte[] bytes, string fileName, string? defaultCountry = "GB", IProgress<ImportProgress>? progress = null,
        ContactImportOptions? options = null, CancellationToken ct = default)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return await new ContactImportReader(options).ReadAsync(stream, fileName, defaultCountry, progress, ct);
    }

    public static async Task<ContactFileException> FileError(byte[] bytes, string fileName, string? defaultCountry = "GB") =>
        await Assert.ThrowsAsync<ContactFileException>(() => Bytes(bytes, fileName, defaultCountry));

    public static Task<ContactFileException> CsvError(string text, string fileName = "contacts.csv") =>
        FileError(Encoding.UTF8.GetBytes(text), fileName);
}

/// <summary>Records progress synchronously (Progress&lt;T&gt; posts to the thread pool, which would make tests racy).</summary>
internal sealed class RecordingProgress : IProgress<ImportProgress>
{
    public List<ImportProgress> Reports { get; } = [];

    public void Report(ImportProgress value) => Reports.Add(value);
}

/// <summary>A stream that can only be read forwards, like a request body.</summary>
internal sealed class ForwardOnlyStream(byte[] bytes) : Stream
{
    private readonly MemoryStream _inner = new(bytes);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
