using System.Globalization;
using System.Text;

namespace DialerCluster.LoadTests.Dialer;

/// <summary>
/// Contacts for the import endpoint as a CSV file. Phones are UK mobiles in E.164 (+44 7…), unique within a run
/// and, through a per-run block number, unlikely to collide with contacts already on a host given by URL
/// (a collision is rejected by the import as a duplicate, and reported).
/// </summary>
internal static class ContactCsv
{
    public const string Header = "name,phone,email,company,country";

    /// <summary>Rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 of the run's contacts.</summary>
    public static byte[] Rows(int block, int first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + (long)count, 10_000_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(block, 10);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block, 99);
        var text = new StringBuilder((count + 1) * 72);
        text.Append(Header).Append('\n');
        for (var i = first; i < first + count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Lead {i},{Phone(block, i)},lead{i}@example.com,Company {i % 997},GB\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>+44 7BB NNNNNNN: block BB (10–99) and a seven-digit row number, a valid UK mobile number.</summary>
    public static string Phone(int block, int row) => string.Create(CultureInfo.InvariantCulture, $"+447{block:D2}{row:D7}");
}
