using EmsAchse.Platform.Csv;
using Xunit;

namespace EmsAchse.Platform.Tests;

public sealed class CsvWriterTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"Lingen\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Lingen\"\")\"")]
    [InlineData("+49 591 123", "'+49 591 123")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    public void text_that_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote(string text, string written) =>
        Assert.Equal(written, CsvWriter.Format(CsvCell.Text(text)));

    [Theory]
    [InlineData("Lingen (Ems)", "Lingen (Ems)")]
    [InlineData("Meppen, Emsland", "\"Meppen, Emsland\"")]
    [InlineData("Haus \"Ems\"", "\"Haus \"\"Ems\"\"\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public void ordinary_text_is_written_as_is_with_rfc_4180_quoting(string text, string written) =>
        Assert.Equal(written, CsvWriter.Format(text));

    [Fact]
    public void negative_numbers_stay_numbers_while_the_same_text_is_neutralised()
    {
        Assert.Equal("-1250", CsvWriter.Format(-1250L));
        Assert.Equal("-0.5", CsvWriter.Format(CsvCell.Number(-0.5m)));
        Assert.Equal("'-1250", CsvWriter.Format("-1250"));
    }

    [Fact]
    public void a_row_joins_its_cells_with_commas_and_ends_with_crlf()
    {
        var csv = new CsvWriter()
            .Row("site", "amount_cents", "from")
            .Row("=cmd|' /C calc'!A0", -5L, new DateOnly(2025, 12, 30))
            .Row(CsvCell.Empty, 7, CsvCell.Date(null));

        Assert.Equal("site,amount_cents,from\r\n'=cmd|' /C calc'!A0,-5,2025-12-30\r\n,7,\r\n", csv.ToString());
    }
}
