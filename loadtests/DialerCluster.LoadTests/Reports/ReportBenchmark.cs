using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DialerCluster.Dialing.Forecasting;
using DialerCluster.Dialing.Reports;
using DialerCluster.LoadTests.Hosting;
using DialerCluster.Storage;
using DialerCluster.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DialerCluster.LoadTests.Reports;

/// <summary>
/// Seeds a year of history (1,000,000 cases and about 5,000,000 history rows by default) on each engine, runs every
/// report over the last 30 days and over the whole year, and prints each one's time and the indexes its statements use,
/// then every statement's plan. Goal: every report within 2 s.
/// </summary>
internal sealed partial class ReportBenchmark(int cases, int days, int runs, TextWriter output)
{
    public static readonly TimeSpan Goal = TimeSpan.FromSeconds(2);

    private readonly List<ReportTiming> _timings = [];
    private readonly StringBuilder _plans = new();

    public IReadOnlyList<ReportTiming> Timings => _timings;

    public async Task<int> RunAsync(IReadOnlyList<StorageEngine> engines, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var engine in engines)
        {
            if (engine == StorageEngine.Sqlite)
            {
                await OnSqliteAsync(now, cancellationToken);
            }
            else
            {
                await OnPostgresAsync(now, cancellationToken);
            }
        }

        PrintSummary(engines);
        output.WriteLine();
        output.WriteLine("## Query plans");
        output.Write(_plans);
        return _timings.All(t => t.Median <= Goal) ? 0 : 1;
    }

    private async Task OnSqliteAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("dialer-report-bench-");
        try
        {
            var connections = new SqliteConnectionFactory(Path.Combine(folder.FullName, "dialer.db"));
            await new SqliteSchemaMigrator(connections).MigrateAsync(cancellationToken);
            await using (var writer = new SqliteHistoryWriter(connections.DatabasePath))
            {
                await SeedAsync(StorageEngine.Sqlite, writer, now, cancellationToken);
            }

            await MeasureAsync(StorageEngine.Sqlite, new SqliteDialect(connections), now, ExplainSqliteAsync, cancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private async Task OnPostgresAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A modest server for 24 GiB: what a contact center would give its database, stated so the figures can be read.
        await using var server = await PostgresServer.StartAsync(
            new PostgresServerOptions
            {
                Settings = new Dictionary<string, string> { ["shared_buffers"] = "'1GB'", ["work_mem"] = "'64MB'", ["effective_cache_size"] = "'4GB'" },
            },
            cancellationToken);
        var database = await server.CreateDatabaseAsync("reports", cancellationToken);
        // No command timeout: a bulk COPY on a loaded machine can take minutes, and a report is measured, never cut off.
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database) { CommandTimeout = 0 }.ConnectionString);
        await new PostgresSchemaMigrator(dataSource).MigrateAsync(cancellationToken);
        await using (var writer = new PostgresHistoryWriter(dataSource))
        {
            await SeedAsync(StorageEngine.Postgres, writer, now, cancellationToken);
        }

        await MeasureAsync(StorageEngine.Postgres, new PostgresDialect(dataSource), now, ExplainPostgresAsync, cancellationToken);
    }

    private async Task SeedAsync(StorageEngine engine, HistoryWriter writer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var counts = await HistorySeeder.SeedAsync(
            new SeededHistory(cases, now, days),
            writer,
            step => output.WriteLine($"[{engine.Name()}] seeding {step} ({clock.Elapsed.TotalSeconds:0} s)"),
            cancellationToken);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[{engine.Name()}] seeded {counts.Cases:N0} cases, {counts.Activities:N0} history rows, {counts.Calls:N0} calls, {counts.States:N0} agent states in {clock.Elapsed.TotalSeconds:0} s"));
    }

    private async Task MeasureAsync(
        StorageEngine engine, SqlDialect dialect, DateTimeOffset now, Func<SqlDialect, CapturedStatement, CancellationToken, Task<string>> explain, CancellationToken cancellationToken)
    {
        var reports = new ReportStore(dialect);
        var captured = new List<CapturedStatement>();
        var observed = new ReportStore(dialect) { Observe = command => captured.Add(CapturedStatement.Of(command)) };
        foreach (var (name, period, run) in Reports(now))
        {
            var times = new List<TimeSpan>();
            var cpu = new List<TimeSpan>();
            using var process = Process.GetCurrentProcess();
            for (var i = 0; i < runs; i++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                await run(reports, cancellationToken);
                times.Add(clock.Elapsed);
                process.Refresh();
                cpu.Add(process.TotalProcessorTime - cpuBefore);
            }

            captured.Clear();
            await run(observed, cancellationToken);
            var plans = new List<string>();
            foreach (var statement in captured)
            {
                plans.Add(await explain(dialect, statement, cancellationToken));
            }

            var indexes = plans.SelectMany(IndexesIn).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var timing = new ReportTiming(engine, name, period, times, cpu, indexes);
            _timings.Add(timing);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[{engine.Name()}] {name,-14} {period,-9} first {times[0].TotalMilliseconds,7:0} ms  median {timing.Median.TotalMilliseconds,7:0} ms (this process's cpu {timing.MedianCpu.TotalMilliseconds,6:0} ms)  {(timing.Median <= Goal ? "PASS" : "FAIL")}  indexes: {string.Join(", ", indexes)}"));
            _plans.AppendLine(CultureInfo.InvariantCulture, $"### {engine.Name()}: {name}, {period}");
            for (var i = 0; i < captured.Count; i++)
            {
                _plans.AppendLine("```").AppendLine(captured[i].Sql.Trim()).AppendLine("--").AppendLine(plans[i].TrimEnd()).AppendLine("```");
            }
        }
    }

    private static IEnumerable<(string Name, string Period, Func<IReportStore, CancellationToken, Task> Run)> Reports(DateTimeOffset now)
    {
        foreach (var (period, length) in new[] { ("30 days", 30), ("365 days", 365) })
        {
            var filter = new ReportFilter(now.AddDays(-length), now);
            yield return ("funnel", period, (r, ct) => r.FunnelAsync(filter, ct));
            yield return ("agents", period, (r, ct) => r.AgentsAsync(filter, now, ct));
            yield return ("resignations", period, (r, ct) => r.ResignationsAsync(filter, ct));
            yield return ("sales-cycle", period, (r, ct) => r.SalesCycleAsync(filter, ct));
            yield return ("lead-sources", period, (r, ct) => r.LeadSourcesAsync(filter, ct));
            yield return ("call-outcomes", period, (r, ct) => r.CallOutcomesAsync(filter, ct));
            yield return ("costs", period, (r, ct) => r.SpendAsync(filter, now, ct));
        }

        yield return ("forecast", "8 weeks", (r, ct) => r.ForecastInputsAsync(new ForecastQuery(now, 8), ct));
        var oneCampaign = new ReportFilter(now.AddDays(-30), now, CampaignId: 3);
        yield return ("funnel", "30 d, 1 campaign", (r, ct) => r.FunnelAsync(oneCampaign, ct));
        var oneAgent = new ReportFilter(now.AddDays(-30), now, AgentId: 42);
        yield return ("agents", "30 d, 1 agent", (r, ct) => r.AgentsAsync(oneAgent, now, ct));
    }

    private void PrintSummary(IReadOnlyList<StorageEngine> engines)
    {
        output.WriteLine();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"## Report times (median of {runs} runs; goal ≤ 2 s; load average {MachineLoad()}; SQLite runs in this process, so its cpu time is shown beside)"));
        output.WriteLine();
        output.WriteLine("| report | period | " + string.Join(" | ", engines.Select(e => e.Name())) + " | indexes used |");
        output.WriteLine("|---|---|" + string.Concat(engines.Select(_ => "---:|")) + "---|");
        foreach (var group in _timings.GroupBy(t => (t.Report, t.Period)))
        {
            var cells = engines.Select(e => group.FirstOrDefault(t => t.Engine == e) is { } t
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"{t.Median.TotalMilliseconds:N0} ms{(e == StorageEngine.Sqlite ? $" (cpu {t.MedianCpu.TotalMilliseconds:N0})" : "")}{(t.Median <= Goal ? "" : " FAIL")}")
                : "–");
            var indexes = string.Join("; ", group.Select(t => $"{t.Engine.Name()}: {string.Join(", ", t.Indexes)}"));
            output.WriteLine($"| {group.Key.Report} | {group.Key.Period} | {string.Join(" | ", cells)} | {indexes} |");
        }
    }

    private static string MachineLoad() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static async Task<string> ExplainSqliteAsync(SqlDialect dialect, CapturedStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = statement.On(connection, "EXPLAIN QUERY PLAN ");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var depth = new Dictionary<long, int> { [0] = 0 };
        var text = new StringBuilder();
        while (await reader.ReadAsync(cancellationToken))
        {
            var level = depth.TryGetValue(reader.GetInt64(1), out var parent) ? parent + 1 : 1;
            depth[reader.GetInt64(0)] = level;
            text.Append(' ', 2 * level).AppendLine(reader.GetString(3));
        }

        return text.ToString();
    }

    private static async Task<string> ExplainPostgresAsync(SqlDialect dialect, CapturedStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = statement.On(connection, "EXPLAIN ");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var text = new StringBuilder();
        while (await reader.ReadAsync(cancellationToken))
        {
            text.AppendLine(reader.GetString(0));
        }

        return text.ToString();
    }

    private static IEnumerable<string> IndexesIn(string plan) =>
        IndexName().Matches(plan)
            .Select(m => m.Groups["table"].Success ? $"{m.Groups["table"].Value} (primary key)" : m.Groups["name"].Value)
            .Where(n => n.Length > 0);

    // SQLite: "USING INDEX x", "USING COVERING INDEX x", "SEARCH t USING PRIMARY KEY" (a table without rowid, named here by
    // its primary key); PostgreSQL: "Index Scan using x", "Index Only Scan using x", "Bitmap Index Scan on x".
    [GeneratedRegex(@"(?:USING (?:COVERING )?INDEX |Scan using |Bitmap Index Scan on )(?<name>\w+)|(?:SEARCH|SCAN) (?<table>\w+) USING PRIMARY KEY")]
    private static partial Regex IndexName();
}

internal sealed record ReportTiming(StorageEngine Engine, string Report, string Period, IReadOnlyList<TimeSpan> Runs, IReadOnlyList<TimeSpan> Cpu, IReadOnlyList<string> Indexes)
{
    public TimeSpan Median => Runs.Order().ElementAt(Runs.Count / 2);

    public TimeSpan MedianCpu => Cpu.Order().ElementAt(Cpu.Count / 2);
}

/// <summary>A report statement as it ran: its SQL and a copy of its parameters, to run again under EXPLAIN.</summary>
internal sealed record CapturedStatement(string Sql, IReadOnlyList<(string Name, System.Data.DbType Type, object? Value, NpgsqlParameter? Npgsql)> Parameters)
{
    public static CapturedStatement Of(DbCommand command) => new(
        command.CommandText,
        command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.DbType, p.Value, p is NpgsqlParameter n ? n.Clone() : null)).ToArray());

    public DbCommand On(DbConnection connection, string prefix)
    {
        var command = connection.CreateCommand();
        command.CommandText = prefix + Sql;
        foreach (var (name, type, value, npgsql) in Parameters)
        {
            if (npgsql is not null)
            {
                command.Parameters.Add(npgsql.Clone());
                continue;
            }

            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = type;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
