using System.Text;

namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// RFC 4180 CSV read straight from the stream, one record at a time. Written here rather than taken from
/// CsvHelper because an import must (a) never hold a multi-megabyte cell in memory, (b) say which row
/// an unclosed quote starts in, and (c) say which row holds bytes that are not UTF-8 instead of showing
/// mojibake. Row numbers count records, as a spreadsheet shows them (a quoted cell with line breaks is one row).
/// </summary>
internal sealed class CsvSheetReader : ISheetReader
{
    // Invalid UTF-8 is decoded to this noncharacter (never used in interchange text), so the parser can
    // name the exact row and column instead of failing a whole 4 KB decode block.
    internal const char InvalidByteMarker = '\uFDD0';

    private readonly Stream _stream;
    private readonly StreamReader _reader;
    private readonly int _maxCell;
    private readonly char[] _buffer = new char[32 * 1024];
    private readonly StringBuilder _field = new();
    private int _pos;
    private int _len;
    private bool _started;
    private bool _eof;
    private char _delimiter = ',';
    private int _rowNumber;

    private long _fieldLength;
    private int _column;
    private bool _atFieldStart = true;
    private bool _inQuotes;
    private bool _quotePending;
    private bool _afterQuote;
    private bool _skipLf;
    private bool _recordStarted;
    private int _quoteStartRow;
    private int _quoteStartColumn;

    public CsvSheetReader(Stream stream, Encoding encoding, int maxCellLength)
    {
        _stream = stream;
        _maxCell = maxCellLength;
        _reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
    }

    public int ColumnLimit { get; set; } = int.MaxValue;

    public char Delimiter => _delimiter;

    public double? Fraction =>
        _stream.CanSeek && _stream.Length > 0 ? Math.Min(1.0, (double)_stream.Position / _stream.Length) : null;

    /// <summary>UTF-8 whose invalid bytes decode to <see cref="InvalidByteMarker"/>; the BOM, if any, is skipped.</summary>
    public static Encoding StrictUtf8()
    {
        var encoding = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).Clone();
        encoding.DecoderFallback = new DecoderReplacementFallback(InvalidByteMarker.ToString());
        return encoding;
    }

    public async ValueTask<bool> ReadAsync(SheetRow row, CancellationToken ct)
    {
        if (!_started)
        {
            _started = true;
            await FillAsync(ct).ConfigureAwait(false);
            SniffDelimiter();
        }

        row.Reset(++_rowNumber);
        _column = 0;
        while (true)
        {
            if (_pos >= _len && !await FillAsync(ct).ConfigureAwait(false))
            {
                return FinishAtEnd(row);
            }
            if (ParseChunk(row))
            {
                return true;
            }
        }
    }

    public void Dispose() => _reader.Dispose();

    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (_eof)
        {
            return false;
        }
        _len = await _reader.ReadAsync(_buffer.AsMemory(), ct).ConfigureAwait(false);
        _pos = 0;
        _eof = _len == 0;
        return !_eof;
    }

    // Excel writes "sep=;" as a first line when the list separator is not a comma; otherwise the header
    // decides: whichever of , ; or tab occurs most outside quotes (ties and none → comma).
    private void SniffDelimiter()
    {
        if (_len > 0 && _buffer[0] == '\uFEFF')
        {
            _pos = 1;
        }

        var span = _buffer.AsSpan(_pos, _len - _pos);
        if (span.Length >= 5 && span[..4].Equals("sep=", StringComparison.OrdinalIgnoreCase)
            && (span.Length == 5 || span[5] is '\r' or '\n'))
        {
            _delimiter = span[4];
            _pos += span.Length > 6 && span[5] == '\r' && span[6] == '\n' ? 7 : Math.Min(6, span.Length);
            return;
        }

        int commas = 0, semicolons = 0, tabs = 0;
        var quoted = false;
        foreach (var c in span)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted)
            {
                if (c is '\r' or '\n')
                {
                    break;
                }
                switch (c)
                {
                    case ',': commas++; break;
                    case ';': semicolons++; break;
                    case '\t': tabs++; break;
                }
            }
        }
        _delimiter = semicolons > commas && semicolons >= tabs ? ';' : tabs > commas && tabs > semicolons ? '\t' : ',';
    }

    /// <summary>Consumes buffered characters; true when a record ended inside the buffer.</summary>
    private bool ParseChunk(SheetRow row)
    {
        var buffer = _buffer;
        var delimiter = _delimiter;
        while (_pos < _len)
        {
            var c = buffer[_pos++];
            if (c < ' ' || c >= InvalidByteMarker)
            {
                CheckControl(c);
            }

            if (_skipLf)
            {
                _skipLf = false;
                if (c == '\n')
                {
                    continue;
                }
            }

            _recordStarted = true;
            if (_inQuotes)
            {
                if (_quotePending)
                {
                    _quotePending = false;
                    if (c == '"')
                    {
                        Append(c);
                        continue;
                    }
                    _inQuotes = false;
                    _afterQuote = true;
                }
                else if (c == '"')
                {
                    _quotePending = true;
                    continue;
                }
                else
                {
                    Append(c);
                    continue;
                }
            }

            if (c == delimiter)
            {
                EndField(row);
                continue;
            }
            if (c is '\r' or '\n')
            {
                EndField(row);
                _skipLf = c == '\r';
                _recordStarted = false;
                return true;
            }
            // A quote after spaces ("Ann, "Smith, John"") still opens a quoted cell, as people write by hand.
            if (c == '"' && !_afterQuote && (_atFieldStart || (_fieldLength < 16 && IsWhiteSpace(_field))))
            {
                _field.Clear();
                _fieldLength = 0;
                _atFieldStart = false;
                _inQuotes = true;
                _quoteStartRow = _rowNumber;
                _quoteStartColumn = _column;
                continue;
            }
            if (_afterQuote && row.MalformedColumn < 0 && _column < ColumnLimit)
            {
                row.MalformedColumn = _column;
            }
            _atFieldStart = false;
            Append(c);
        }
        return false;
    }

    private bool FinishAtEnd(SheetRow row)
    {
        if (_inQuotes && !_quotePending)
        {
            throw new ContactFileException(
                "file",
                $"Unbalanced quotes: the quoted cell that starts in row {_quoteStartRow}, column {ContactColumns.ColumnLetters(_quoteStartColumn)} " +
                "is never closed, so everything after it would be read as one cell. Fix the quote characters in that row.");
        }
        if (!_recordStarted)
        {
            return false;
        }
        EndField(row);
        _recordStarted = false;
        return true;
    }

    private void CheckControl(char c)
    {
        if (c == InvalidByteMarker)
        {
            throw new ContactFileException(
                "file",
                $"The file is not UTF-8 text: row {_rowNumber}, column {ContactColumns.ColumnLetters(_column)} holds bytes that are not valid UTF-8 " +
                "(typical of a Latin-1 or Windows-1252 export). Save it as \"CSV UTF-8\" and import again.");
        }
        if (c == '\0')
        {
            throw new ContactFileException(
                "file",
                $"The file holds binary data (a NUL character in row {_rowNumber}); it is not CSV text. Upload a .csv (UTF-8) or .xlsx file.");
        }
    }

    private void Append(char c)
    {
        if (_fieldLength < _maxCell)
        {
            _field.Append(c);
        }
        _fieldLength++;
    }

    private void EndField(SheetRow row)
    {
        if (_column < ColumnLimit)
        {
            if (_fieldLength > _maxCell)
            {
                row.Cells.Add("");
                row.Oversized.Add((_column, _fieldLength));
            }
            else
            {
                row.Cells.Add(_fieldLength == 0 ? "" : _field.ToString());
            }
        }
        else if (row.ExtraColumn < 0 && (_fieldLength > _maxCell || !IsWhiteSpace(_field)))
        {
            row.ExtraColumn = _column;
        }

        _field.Clear();
        _fieldLength = 0;
        _column++;
        _atFieldStart = true;
        _afterQuote = false;
    }

    private static bool IsWhiteSpace(StringBuilder text)
    {
        foreach (var chunk in text.GetChunks())
        {
            if (!chunk.Span.IsWhiteSpace())
            {
                return false;
            }
        }
        return true;
    }
}
