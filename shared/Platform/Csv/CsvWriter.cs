using System.Globalization;
using System.Text;

namespace EmsAchse.Platform.Csv;

/// <summary>
/// One cell of a CSV row: text, or a number. Only text is neutralised against formula injection, so a
/// negative amount stays a number the spreadsheet can add up.
/// </summary>
public readonly record struct CsvCell
{
    private CsvCell(string value, bool isNumber)
    {
        Value = value;
        IsNumber = isNumber;
    }

    public string Value { get; }

    public bool IsNumber { get; }

    public static readonly CsvCell Empty = new("", false);

    public static CsvCell Text(string? text) => new(text ?? "", false);

    public static CsvCell Number(long? number) => number is { } n ? new(n.ToString(CultureInfo.InvariantCulture), true) : Empty;

    public static CsvCell Number(decimal? number) => number is { } n ? new(n.ToString(CultureInfo.InvariantCulture), true) : Empty;

    public static CsvCell Date(DateOnly? date) => date is { } d ? new(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), false) : Empty;

    public static CsvCell Id(Guid? id) => id is { } g ? new(g.ToString("D"), false) : Empty;

    public static implicit operator CsvCell(string? text) => Text(text);

    public static implicit operator CsvCell(long number) => Number(number);

    public static implicit operator CsvCell(long? number) => Number(number);

    public static implicit operator CsvCell(int number) => Number(number);

    public static implicit operator CsvCell(int? number) => Number(number);

    public static implicit operator CsvCell(DateOnly date) => Date(date);

    public static implicit operator CsvCell(DateOnly? date) => Date(date);

    public static implicit operator CsvCell(Guid id) => Id(id);
}

/// <summary>
/// Writes every CSV the platform hands out (reports, members, fee claims): RFC 4180 quoting, CRLF line
/// ends, and the OWASP rule against formula injection: a text cell that starts with =, +, -, @, tab or
/// carriage return gets a leading single quote, so a spreadsheet shows it as text instead of running it.
/// </summary>
public sealed class CsvWriter
{
    private readonly StringBuilder _csv = new();

    /// <summary>The characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").</summary>
    public static bool StartsLikeAFormula(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>The cell as it is written: neutralised if it is text that could run as a formula, then quoted if needed.</summary>
    public static string Format(CsvCell cell)
    {
        var value = !cell.IsNumber && StartsLikeAFormula(cell.Value) ? "'" + cell.Value : cell.Value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public CsvWriter Row(params ReadOnlySpan<CsvCell> cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                _csv.Append(',');
            }
            _csv.Append(Format(cells[i]));
        }
        _csv.Append("\r\n");
        return this;
    }

    public override string ToString() => _csv.ToString();
}
