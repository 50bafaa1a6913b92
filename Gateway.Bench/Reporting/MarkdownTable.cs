using System.Globalization;
using System.Text;

namespace Gateway.Bench.Reporting;

/// <summary>A GitHub markdown table, built a row at a time.</summary>
internal sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Row(params object?[] cells)
    {
        _rows.Add([.. cells.Select(Format)]);
        return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", headers).Append(" |\n");
        text.Append('|').AppendJoin('|', headers.Select(_ => "---")).Append("|\n");
        foreach (var row in _rows)
        {
            text.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>Numbers with few significant digits: a benchmark's third digit is noise on a shared 2-core machine.</summary>
    public static string Format(object? value) => value switch
    {
        null => "–",
        double number when double.IsNaN(number) => "–",
        double number => Number(number),
        float number => Number(number),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    public static string Number(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.00", CultureInfo.InvariantCulture),
        0 => "0",
        _ => value.ToString("0.000", CultureInfo.InvariantCulture),
    };
}
