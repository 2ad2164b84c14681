using System.Collections.Frozen;

namespace DialerCluster.Dialing.Cases;

/// <summary>
/// The two-way mapping between an enum and the snake_case names it has on the wire (JSON, SQL).
/// One table per enum so a rename cannot reach only one direction.
/// </summary>
internal sealed class WireNames<TEnum>
    where TEnum : struct, Enum
{
    private readonly FrozenDictionary<TEnum, string> _toWire;
    private readonly FrozenDictionary<string, TEnum> _fromWire;

    public WireNames(params (TEnum Value, string Wire)[] table)
    {
        var values = Enum.GetValues<TEnum>();
        if (table.Length != values.Length || values.Any(v => !table.Any(t => t.Value.Equals(v))))
        {
            throw new InvalidOperationException($"Every {typeof(TEnum).Name} needs exactly one wire name.");
        }

        _toWire = table.ToFrozenDictionary(t => t.Value, t => t.Wire);
        _fromWire = table.ToFrozenDictionary(t => t.Wire, t => t.Value, StringComparer.Ordinal);
        All = table.Select(t => t.Wire).ToArray();
        OneOf = string.Join(", ", All);
    }

    /// <summary>Wire names in declaration order.</summary>
    public IReadOnlyList<string> All { get; }

    /// <summary>"a, b, c": for error messages.</summary>
    public string OneOf { get; }

    public string ToWire(TEnum value) =>
        _toWire.TryGetValue(value, out var wire)
            ? wire
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(TEnum).Name}.");

    public bool TryParse(string? wire, out TEnum value)
    {
        if (wire is not null && _fromWire.TryGetValue(wire, out value))
        {
            return true;
        }

        value = default;
        return false;
    }
}
