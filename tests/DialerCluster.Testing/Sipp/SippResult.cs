namespace DialerCluster.Testing.Sipp;

/// <summary>How a SIPp run ended: exit code (0 every call succeeded, 1 some failed, 99 none processed), its statistics,
/// the SIP messages it logged (<c>-trace_msg</c>), its errors (<c>-trace_err</c>) and what it printed.</summary>
public sealed record SippResult(int ExitCode, SippStatistics Statistics, string Messages, string Errors, string Output)
{
    /// <summary>Everything, for an assertion message.</summary>
    public string Report => $"sipp exit code {ExitCode}, {Statistics}\n--- errors ---\n{Errors}\n--- messages ---\n{Messages}\n--- output ---\n{Output}";

    /// <summary>How many SIP messages SIPp received whose first line starts with <paramref name="startLine"/> (e.g. "ACK ").</summary>
    public int Received(string startLine) => ReceivedMessages(startLine).Count;

    /// <summary>The received messages whose first line starts with <paramref name="startLine"/>, as SIPp logged them.</summary>
    public IReadOnlyList<string> ReceivedMessages(string startLine)
    {
        var found = new List<string>();
        foreach (var block in Messages.Split("-----------------------------------------------", StringSplitOptions.None))
        {
            var body = block.Split("\n\n", 2, StringSplitOptions.None);
            if (body.Length == 2 && body[0].Contains("message received", StringComparison.Ordinal) && body[1].TrimStart().StartsWith(startLine, StringComparison.Ordinal))
            {
                found.Add(body[1].TrimStart());
            }
        }

        return found;
    }
}
