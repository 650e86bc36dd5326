extern alias portal;

using System.Text.Json;
using portal::EmsAchse.Portal.Components.Pages.Console.Applications;
using portal::EmsAchse.Portal.Components.Pages.Console.Funding;
using portal::EmsAchse.Portal.Components.Pages.Console.Privacy;
using portal::EmsAchse.Portal.Display;
using portal::EmsAchse.Portal.Services;
using portal::EmsAchse.Portal.Services.Console;
using Xunit;

namespace EmsAchse.Portal.Tests.Console;

public sealed class GermanInputTests
{
    [Theory]
    [InlineData("1.234,56", 123456L)]
    [InlineData("1234", 123400L)]
    [InlineData("1234,5", 123450L)]
    [InlineData(" 250 € ", 25000L)]
    [InlineData("0", 0L)]
    public void euros_as_germans_type_them_become_cents(string typed, long cents) =>
        Assert.Equal(cents, GermanInput.Cents(typed));

    [Theory]
    [InlineData("")]
    [InlineData("zwölf")]
    [InlineData("-5")]
    [InlineData("1,234")]
    [InlineData(null)]
    public void what_is_no_amount_of_euros_is_refused(string? typed) =>
        Assert.Null(GermanInput.Cents(typed));

    [Theory]
    [InlineData("50", 5000)]
    [InlineData("33,33", 3333)]
    [InlineData("12,5 %", 1250)]
    [InlineData("100", 10000)]
    public void per_cent_becomes_basis_points(string typed, int basisPoints) =>
        Assert.Equal(basisPoints, GermanInput.BasisPoints(typed));

    [Theory]
    [InlineData("33,333")]
    [InlineData("halb")]
    [InlineData("")]
    public void a_share_with_more_than_two_decimals_or_no_number_is_refused(string typed) =>
        Assert.Null(GermanInput.BasisPoints(typed));

    [Fact]
    public void amounts_and_shares_are_shown_again_for_editing_the_german_way() =>
        Assert.Equal(("1.234,56", "33,33", "50"), (GermanInput.Euros(123456), GermanInput.Percent(3333), GermanInput.Percent(5000)));
}

public sealed class CommitmentErrorsTests
{
    private static ApiProblem Problem(int status, string json) =>
        new(status, JsonDocument.Parse(json).RootElement.GetProperty("title").GetString(), null, [], JsonDocument.Parse(json).RootElement.Clone());

    [Fact]
    public void an_over_commitment_is_explained_with_the_figures_the_api_returned_and_the_funders_involved()
    {
        var problem = Problem(409, """
            {"title":"The site would be funded over 100 %.","status":409,"date":"2026-01-01","currentBasisPoints":10000,"totalBasisPoints":11000,
             "commitments":["11111111-1111-1111-1111-111111111111","22222222-2222-2222-2222-222222222222"]}
            """);

        var messages = CommitmentErrors.German(problem, "Lingen", id => id.StartsWith("1111", StringComparison.Ordinal) ? "Landkreis Emsland mit 100\u00a0%" : null);

        var message = Assert.Single(messages);
        Assert.Equal(FormMessage.FormLevel, message.FieldId);
        Assert.Equal(
            "Die Zusage wurde nicht gespeichert: Der Standort Lingen wäre am 01.01.2026 zu 110\u00a0% finanziert, mehr als 100\u00a0% sind nicht möglich. "
            + "An diesem Tag sind bereits 100\u00a0% zugesagt, frei sind noch 0\u00a0%. Beteiligt: Landkreis Emsland mit 100\u00a0%, die neue Zusage.",
            message.Message);
    }

    [Fact]
    public void field_errors_of_the_api_land_next_to_the_fields_in_german()
    {
        var problem = new ApiProblem(400, "The commitment is invalid.", null,
            [new ApiFieldError("shareBasisPoints", "shareBasisPoints must be between 1 and 10000 (10000 = 100 %).", null), new ApiFieldError("validTo", "validTo must not be before validFrom.", null)],
            default);

        Assert.Equal(
            [new FormMessage("share", "Bitte geben Sie den Anteil in Prozent an, zwischen 0,01 und 100."), new FormMessage("valid-to", "Das Ende darf nicht vor dem Beginn liegen.")],
            CommitmentErrors.German(problem, "Lingen", _ => null));
    }

    [Fact]
    public void a_second_commitment_of_the_same_funder_is_refused_in_german() =>
        Assert.StartsWith("Die Zusage wurde nicht gespeichert: Dieser Geldgeber hat", CommitmentErrors.Refusal(Problem(409, """{"title":"The funder already funds this site then."}"""), "Leer", _ => null), StringComparison.Ordinal);

    [Fact]
    public void the_form_refuses_a_missing_funder_a_share_over_a_hundred_and_an_end_before_the_start_without_asking_the_api()
    {
        var form = new CommitmentForm { Share = "120", ValidFrom = new DateOnly(2026, 5, 1), ValidTo = new DateOnly(2026, 4, 1) };

        Assert.Equal(["funder", "share", "valid-to"], form.Check(needsFunder: true).Select(m => m.FieldId));
    }
}

public sealed class ConsoleFormTests
{
    [Theory]
    [InlineData("Emsdaten GmbH", true)]
    [InlineData("  Emsdaten GmbH ", true)]
    [InlineData("emsdaten gmbh", false)]
    [InlineData("Emsdaten", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void only_the_exact_name_confirms_an_erasure(string? typed, bool confirms) =>
        Assert.Equal(confirms, OrganizationPrivacyPage.Confirms(typed, "Emsdaten GmbH"));

    [Fact]
    public void the_fee_schedule_is_read_in_euros_and_an_empty_field_means_no_fee()
    {
        var (input, invalid) = new FeeScheduleForm { Company = "250", Chamber = "1.200,50" }.Read();

        Assert.Empty(invalid);
        Assert.Equal(25000, input!.AnnualFeeCents["company"]);
        Assert.Equal(120050, input.AnnualFeeCents["chamber"]);
        Assert.Equal(0, input.AnnualFeeCents["research"]);
    }

    [Fact]
    public void a_fee_that_is_no_amount_names_its_kind_and_nothing_is_sent()
    {
        var (input, invalid) = new FeeScheduleForm { Company = "viel", Education = "-3" }.Read();

        Assert.Null(input);
        Assert.Equal(["company", "education"], invalid);
    }
}

public sealed class ApplicationChoiceTests
{
    [Fact]
    public void a_button_names_the_decision_and_its_application()
    {
        var id = Guid.NewGuid();
        Assert.Equal((id, true), ApplicationChoice.Read($"approve:{id}"));
        Assert.Equal((id, false), ApplicationChoice.Read($"reject:{id:N}"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("approve")]
    [InlineData("approve:")]
    [InlineData("approve:not-a-guid")]
    [InlineData("delete:6f1c1f0e-4d7a-4a4e-9d51-0c3f3f1b2a10")]
    public void anything_else_decides_nothing(string? choice) => Assert.Null(ApplicationChoice.Read(choice));
}
