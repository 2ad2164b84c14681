using System.Globalization;

namespace DialerCluster.LoadTests.Reporting;

/// <summary>Writes <c>&lt;root&gt;/&lt;yyyyMMdd-HHmmss&gt;-&lt;scenario[+scenario…]&gt;/report.md</c> and <c>report.csv</c>.</summary>
internal static class ResultsFolder
{
    public static string Write(RunReport run, string root)
    {
        var names = string.Join('+', run.Scenarios.Select(s => s.Scenario));
        if (names.Length > 80)
        {
            names = $"{run.Scenarios[0].Scenario}+{run.Scenarios.Count - 1}-more";
        }

        var stem = Path.Combine(root, $"{run.StartedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{names}");
        var folder = stem;
        for (var n = 2; Directory.Exists(folder); n++)
        {
            folder = $"{stem}-{n}";
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.md"), MarkdownReport.Render(run));
        File.WriteAllText(Path.Combine(folder, "report.csv"), CsvReport.Render(run));
        return folder;
    }
}
