using System.Text;
using DialerCluster.Dialing.Contacts;
using DialerCluster.LoadTests.Dialer;

namespace DialerCluster.LoadTests.Tests.Dialer;

public sealed class ContactCsvTests
{
    [Fact]
    public void A_chunk_has_the_header_and_one_row_per_contact_from_its_first_row_on()
    {
        var lines = Encoding.UTF8.GetString(ContactCsv.Rows(42, 1_000, 3)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [ContactCsv.Header, "Lead 1000,+447420001000,lead1000@example.com,Company 3,GB", "Lead 1001,+447420001001,lead1001@example.com,Company 4,GB", "Lead 1002,+447420001002,lead1002@example.com,Company 5,GB"],
            lines);
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(57, 123_456)]
    [InlineData(99, 9_999_999)]
    public void Generated_phones_are_valid_uk_numbers_already_in_e164(int block, int row)
    {
        var phone = ContactCsv.Phone(block, row);

        Assert.True(PhoneNumber.TryNormalize(phone, "GB", out var e164, out var reason), reason);
        Assert.Equal(phone, e164);
    }

    [Fact]
    public void Phones_of_different_rows_and_blocks_never_collide()
    {
        var phones = new[] { 10, 11, 99 }.SelectMany(block => Enumerable.Range(0, 2_000).Select(row => ContactCsv.Phone(block, row * 4_999))).ToList();

        Assert.Equal(phones.Count, phones.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(9, 0, 1)]
    [InlineData(100, 0, 1)]
    [InlineData(10, 9_999_999, 2)]
    public void Blocks_and_rows_outside_the_number_plan_are_refused(int block, int first, int count) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => ContactCsv.Rows(block, first, count));
}
