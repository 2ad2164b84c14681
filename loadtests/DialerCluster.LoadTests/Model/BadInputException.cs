namespace DialerCluster.LoadTests.Model;

/// <summary>Bad input from a command line or a scenario definition: names the field and the reason.</summary>
internal sealed class BadInputException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;
}
