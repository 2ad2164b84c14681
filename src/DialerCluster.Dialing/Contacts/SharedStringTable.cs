using System.Text;

namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// An .xlsx's shared strings, held while the sheet streams: UTF-8 in one buffer with an offset per string (about a
/// third of what a string object per item costs), each string cut at the cell limit and its full length kept.
/// Bounded by the part's inflated size, which <see cref="ContactImportOptions.MaxSharedStringsBytes"/> limits.
/// </summary>
internal sealed class SharedStringTable
{
    private readonly List<int> _starts = [];
    private readonly Dictionary<int, long> _oversized = [];
    private byte[] _bytes = new byte[16 * 1024];
    private int _used;

    public int Count => _starts.Count;

    public void Add(CellText text)
    {
        if (text.IsOversized)
        {
            _oversized[_starts.Count] = text.Length;
        }
        else
        {
            foreach (var chunk in text.GetChunks())
            {
                var needed = Encoding.UTF8.GetByteCount(chunk.Span);
                Grow(needed);
                _used += Encoding.UTF8.GetBytes(chunk.Span, _bytes.AsSpan(_used));
            }
        }

        _starts.Add(_used);
    }

    /// <summary>The string at <paramref name="index"/>, or "" with its full length when it is longer than the cell limit.</summary>
    public (string Text, long Length) this[int index]
    {
        get
        {
            if (_oversized.TryGetValue(index, out var length))
            {
                return (string.Empty, length);
            }

            var start = index == 0 ? 0 : _starts[index - 1];
            var text = Encoding.UTF8.GetString(_bytes, start, _starts[index] - start);
            return (text, text.Length);
        }
    }

    private void Grow(int needed)
    {
        if (_used + needed <= _bytes.Length)
        {
            return;
        }

        Array.Resize(ref _bytes, (int)Math.Min(Array.MaxLength, Math.Max(_bytes.Length * 2L, _used + (long)needed)));
    }
}
