using DialerCluster.Dialing.Contacts;

namespace DialerCluster.Dialing.Tests.Contacts;

public sealed class ContactImportResultTests
{
    [Fact]
    public async Task Contacts_already_stored_are_moved_to_the_rejections_in_row_order()
    {
        var result = await Import.Csv(
            "name,phone,phone2\n" +
            "Ann,020 7946 0000,\n" +
            "Bob,,\n" +
            "Cid,020 7946 0002,07700 900123\n" +
            "Dee,020 7946 0003,\n");

        var trimmed = result.ExcludeExisting(new HashSet<string> { "+447700900123", "+15550000000" });

        Assert.Equal([2, 5], trimmed.Contacts.Select(c => c.Row));
        Assert.Equal(
            [
                new RowRejection(3, "phone", "missing phone"),
                new RowRejection(4, "phone", "duplicate of an existing contact (+447700900123)"),
            ],
            trimmed.Rejected);
        Assert.Equal(3, result.Contacts.Count);
    }

    [Fact]
    public async Task Phones_lists_every_number_for_one_batched_lookup()
    {
        var result = await Import.Csv("name,phone\nAnn,\"020 7946 0000; 07700 900123\"\nBob,020 7946 0001\n");

        Assert.Equal(new HashSet<string> { "+442079460000", "+447700900123", "+442079460001" }, result.Phones);
    }

    [Fact]
    public async Task No_existing_matches_returns_the_same_result()
    {
        var result = await Import.Csv("name,phone\nAnn,020 7946 0000\n");

        Assert.Same(result, result.ExcludeExisting(new HashSet<string> { "+15550000000" }));
        Assert.Same(result, result.ExcludeExisting(new HashSet<string>()));
    }
}
