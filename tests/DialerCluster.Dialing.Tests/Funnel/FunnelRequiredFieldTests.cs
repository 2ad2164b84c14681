using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Tests.Funnel;

public sealed class FunnelRequiredFieldTests
{
    private static readonly CaseForm CompleteForm = new(
        NextContactAt: new DateTimeOffset(2025, 3, 11, 10, 0, 0, TimeSpan.Zero),
        AcquisitionStage: "needs analysis",
        LeadSource: "webinar",
        ExpectedCloseDate: new DateOnly(2025, 4, 30),
        ContractStage: "draft sent",
        ResignationReason: "price",
        Note: "asked for a discount");

    // PRODUCT.md, "required to save", spelled as the API spells the fields.
    private static readonly Dictionary<CaseStatus, string[]> Required = new()
    {
        [CaseStatus.New] = [],
        [CaseStatus.InAcquisition] = ["nextContactAt", "acquisitionStage", "leadSource", "expectedCloseDate"],
        [CaseStatus.Offered] = ["nextContactAt", "contractStage"],
        [CaseStatus.Won] = [],
        [CaseStatus.Resigned] = ["resignationReason"],
    };

    /// <summary>Every status with every subset of its required fields missing (2^k rows per status).</summary>
    public static TheoryData<CaseStatus, string[]> EveryMissingCombination()
    {
        var data = new TheoryData<CaseStatus, string[]>();
        foreach (var (status, fields) in Required)
        {
            for (var mask = 0; mask < 1 << fields.Length; mask++)
            {
                data.Add(status, fields.Where((_, i) => (mask & (1 << i)) != 0).ToArray());
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryMissingCombination))]
    public void Saving_names_every_missing_field_and_only_those(CaseStatus status, string[] missing)
    {
        var form = Without(CompleteForm, missing, blank: false);

        var errors = FunnelRules.Validate(status, status, form);

        Assert.Equal(missing.Order(), errors.Select(e => e.Field).Order());
        Assert.All(errors, e => Assert.Contains(status.ToWire(), e.Reason, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EveryMissingCombination))]
    public void Blank_text_counts_as_missing(CaseStatus status, string[] missing)
    {
        var form = Without(CompleteForm, missing, blank: true);

        var errors = FunnelRules.Validate(status, status, form);

        Assert.Equal(missing.Order(), errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void The_table_in_the_code_matches_the_product_table()
    {
        foreach (var (status, fields) in Required)
        {
            Assert.Equal(fields, FunnelRules.RequiredFields(status).Select(f => f.ToWire()));
        }
    }

    [Fact]
    public void Moving_from_new_to_in_acquisition_with_an_empty_form_names_all_four_fields()
    {
        var errors = FunnelRules.Validate(CaseStatus.New, CaseStatus.InAcquisition, CaseForm.Empty);

        Assert.Equal(
            ["acquisitionStage", "expectedCloseDate", "leadSource", "nextContactAt"],
            errors.Select(e => e.Field).Order());
    }

    [Theory]
    [InlineData("acquisitionStage", FunnelRules.TextMaxLength)]
    [InlineData("leadSource", FunnelRules.TextMaxLength)]
    [InlineData("contractStage", FunnelRules.TextMaxLength)]
    [InlineData("resignationReason", FunnelRules.TextMaxLength)]
    [InlineData("note", FunnelRules.NoteMaxLength)]
    public void Oversized_text_is_refused_by_field_name(string field, int max)
    {
        var longText = new string('x', max + 1);
        var form = field switch
        {
            "acquisitionStage" => CompleteForm with { AcquisitionStage = longText },
            "leadSource" => CompleteForm with { LeadSource = longText },
            "contractStage" => CompleteForm with { ContractStage = longText },
            "resignationReason" => CompleteForm with { ResignationReason = longText },
            _ => CompleteForm with { Note = longText },
        };

        var error = Assert.Single(FunnelRules.Validate(CaseStatus.New, CaseStatus.New, form));

        Assert.Equal(field, error.Field);
        Assert.Contains(max.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_at_the_limit_is_accepted()
    {
        var form = CompleteForm with { LeadSource = new string('x', FunnelRules.TextMaxLength) };

        Assert.Empty(FunnelRules.Validate(CaseStatus.New, CaseStatus.InAcquisition, form));
    }

    private static CaseForm Without(CaseForm form, IEnumerable<string> fields, bool blank)
    {
        var text = blank ? "  \t " : null;
        foreach (var field in fields)
        {
            form = field switch
            {
                "nextContactAt" => form with { NextContactAt = null },
                "acquisitionStage" => form with { AcquisitionStage = text },
                "leadSource" => form with { LeadSource = text },
                "expectedCloseDate" => form with { ExpectedCloseDate = null },
                "contractStage" => form with { ContractStage = text },
                "resignationReason" => form with { ResignationReason = text },
                _ => throw new ArgumentOutOfRangeException(nameof(fields), field, null),
            };
        }

        return form;
    }
}
