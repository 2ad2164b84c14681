using System.Text;

namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// The text of one cell as it streams in: kept up to the cell limit, only counted beyond it, so a cell of a
/// billion characters costs its count and not its characters.
/// </summary>
internal sealed class CellText(int maxLength)
{
    private readonly StringBuilder _kept = new();

    /// <summary>Characters seen, kept or not.</summary>
    public long Length { get; private set; }

    public bool IsOversized => Length > maxLength;

    public void Clear()
    {
        _kept.Clear();
        Length = 0;
    }

    public void Append(ReadOnlySpan<char> chunk)
    {
        var room = maxLength - _kept.Length;
        if (room > 0)
        {
            _kept.Append(chunk[..Math.Min(room, chunk.Length)]);
        }

        Length += chunk.Length;
    }

    public override string ToString() => IsOversized ? string.Empty : _kept.ToString();

    public StringBuilder.ChunkEnumerator GetChunks() => _kept.GetChunks();
}
