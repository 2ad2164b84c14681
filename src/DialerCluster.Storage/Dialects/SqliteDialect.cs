using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace DialerCluster.Storage;

/// <summary>
/// SQLite: instants are INTEGER unix milliseconds, dates and times of day ISO text, booleans 0/1, JSON text,
/// and id lists one JSON array read with json_each (no limit on the number of host parameters to worry about).
/// </summary>
internal sealed class SqliteDialect(SqliteConnectionFactory connections) : SqlDialect
{
    // SQLite's extended result codes (sqlite3.h): SQLITE_CONSTRAINT_xxx.
    private const int ConstraintCheck = 275;
    private const int ConstraintForeignKey = 787;
    private const int ConstraintNotNull = 1299;
    private const int ConstraintPrimaryKey = 1555;
    private const int ConstraintUnique = 2067;

    public SqliteConnectionFactory Connections { get; } = connections;

    public override StorageDialect Kind => StorageDialect.Sqlite;

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await Connections.OpenAsync(cancellationToken);

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // BEGIN IMMEDIATE: a deferred transaction that reads first and writes later can fail with SQLITE_BUSY
        // when another writer got in between; taking the write lock first waits in the busy handler instead.
        return ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false));
    }

    public override void AddInstant(DbCommand command, string name, DateTimeOffset? value) =>
        AddLong(command, name, value?.ToUnixTimeMilliseconds());

    public override DateTimeOffset GetInstant(DbDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public override void AddJson(DbCommand command, string name, string json) => AddText(command, name, json);

    public override void AddDate(DbCommand command, string name, DateOnly? value) =>
        AddText(command, name, value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public override DateOnly GetDate(DbDataReader reader, int ordinal) =>
        DateOnly.ParseExact(reader.GetString(ordinal), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public override void AddTimeOfDay(DbCommand command, string name, TimeOnly value) =>
        AddText(command, name, value.ToString("HH:mm:ss", CultureInfo.InvariantCulture));

    public override TimeOnly GetTimeOfDay(DbDataReader reader, int ordinal) =>
        TimeOnly.ParseExact(reader.GetString(ordinal), "HH:mm:ss", CultureInfo.InvariantCulture);

    public override void AddBool(DbCommand command, string name, bool value) => AddInt(command, name, value ? 1 : 0);

    public override void AddIdList(DbCommand command, string name, IReadOnlyCollection<long> ids)
    {
        var json = new StringBuilder(ids.Count * 8 + 2).Append('[');
        var first = true;
        foreach (var id in ids)
        {
            if (!first)
            {
                json.Append(',');
            }

            json.Append(id.ToString(CultureInfo.InvariantCulture));
            first = false;
        }

        AddText(command, name, json.Append(']').ToString());
    }

    public override void AddTextList(DbCommand command, string name, IReadOnlyCollection<string> values) =>
        AddText(command, name, JsonSerializer.Serialize(values));

    public override string InList(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override ConstraintViolation? Violation(Exception exception)
    {
        if (exception is not SqliteException { SqliteErrorCode: 19 } sqlite)
        {
            return null;
        }

        ViolationKind? kind = sqlite.SqliteExtendedErrorCode switch
        {
            ConstraintUnique or ConstraintPrimaryKey => ViolationKind.Unique,
            ConstraintForeignKey => ViolationKind.ForeignKey,
            ConstraintCheck => ViolationKind.Check,
            ConstraintNotNull => ViolationKind.NotNull,
            _ => null,
        };
        return kind is null ? null : new ConstraintViolation(kind.Value, sqlite.Message);
    }
}
