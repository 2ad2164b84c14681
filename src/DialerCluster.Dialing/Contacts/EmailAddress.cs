namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// A practical e-mail check for imports: catches what people actually get wrong (missing '@', spaces,
/// no domain, two addresses in one cell) without RFC 5322's quoted local parts, which no CRM export uses.
/// </summary>
internal static class EmailAddress
{
    /// <summary>Null when <paramref name="email"/> looks deliverable, else why not.</summary>
    public static string? Problem(string email)
    {
        if (email.Length > 254)
        {
            return $"longer than 254 characters ({email.Length})";
        }
        var at = email.IndexOf('@');
        if (at < 0)
        {
            return "missing '@'";
        }
        if (email.IndexOf('@', at + 1) >= 0)
        {
            return "more than one '@' (one address per cell)";
        }
        foreach (var c in email)
        {
            if (char.IsWhiteSpace(c))
            {
                return "contains spaces";
            }
            if (c is ',' or ';' or '<' or '>' or '(' or ')' or '[' or ']' or '\\' or '"' || char.IsControl(c))
            {
                return $"contains '{c}'";
            }
        }

        var local = email.AsSpan(0, at);
        var domain = email.AsSpan(at + 1);
        if (local.IsEmpty)
        {
            return "nothing before '@'";
        }
        if (local.Length > 64)
        {
            return "the part before '@' is longer than 64 characters";
        }
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return "misplaced '.' before '@'";
        }
        if (domain.IsEmpty)
        {
            return "nothing after '@'";
        }
        var lastDot = domain.LastIndexOf('.');
        if (lastDot < 0)
        {
            return $"domain '{domain.ToString()}' has no '.'";
        }
        foreach (var label in domain.ToString().Split('.'))
        {
            if (label.Length == 0 || label.Length > 63 || label[0] == '-' || label[^1] == '-')
            {
                return $"invalid domain '{domain.ToString()}'";
            }
            foreach (var c in label)
            {
                if (!char.IsLetterOrDigit(c) && c != '-')
                {
                    return $"invalid domain '{domain.ToString()}'";
                }
            }
        }
        if (domain.Length - lastDot - 1 < 2)
        {
            return $"invalid domain '{domain.ToString()}'";
        }
        return null;
    }
}
