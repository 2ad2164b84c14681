using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DialerCluster.Storage;

/// <summary>One embedded migration file, Migrations/{Dialect}/NNNN_name.sql.</summary>
internal sealed partial record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>Recorded beside the version so that editing an applied script is caught instead of silently ignored.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>The dialect's scripts in version order; versions must run 1, 2, 3 ... without gaps or repeats.</summary>
    public static IReadOnlyList<MigrationScript> Load(StorageDialect dialect)
    {
        var assembly = typeof(MigrationScript).Assembly;
        var prefix = $"{assembly.GetName().Name}.Migrations.{dialect}.";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Migration file '{fileName}' ({dialect}) is not named NNNN_lower_case_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration '{resource}' could not be opened.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new MigrationScript(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"{dialect} migrations must be numbered 1, 2, 3 ... without gaps or repeats; found {scripts[i].Version:D4}_{scripts[i].Name} at position {i + 1}.");
            }
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No {dialect} migrations are embedded (expected resources starting with '{prefix}').");
        }

        return scripts;
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
