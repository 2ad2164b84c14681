using System.Data;
using System.Data.Common;

namespace DialerCluster.Storage;

/// <summary>
/// What differs between the engines for the stores: how instants, dates, times of day, booleans, JSON and
/// id lists travel as parameters, and how a broken constraint is recognised. Everything else (the SQL with
/// @name parameters, RETURNING, ON CONFLICT) is written once in the stores.
/// </summary>
internal abstract class SqlDialect
{
    public abstract StorageDialect Kind { get; }

    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a transaction that takes the write lock up front where the engine has one (SQLite).</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    public abstract void AddInstant(DbCommand command, string name, DateTimeOffset? value);

    public abstract DateTimeOffset GetInstant(DbDataReader reader, int ordinal);

    public abstract void AddJson(DbCommand command, string name, string json);

    public abstract void AddDate(DbCommand command, string name, DateOnly? value);

    public abstract DateOnly GetDate(DbDataReader reader, int ordinal);

    public abstract void AddTimeOfDay(DbCommand command, string name, TimeOnly value);

    public abstract TimeOnly GetTimeOfDay(DbDataReader reader, int ordinal);

    public abstract void AddBool(DbCommand command, string name, bool value);

    /// <summary>A list of ids as ONE parameter (a bigint[] or a JSON array), used through <see cref="InList"/>.</summary>
    public abstract void AddIdList(DbCommand command, string name, IReadOnlyCollection<long> ids);

    public abstract void AddTextList(DbCommand command, string name, IReadOnlyCollection<string> values);

    /// <summary>"column is one of the list parameter" in this dialect.</summary>
    public abstract string InList(string column, string parameter);

    /// <summary>The constraint an engine error broke, or null when it is another error.</summary>
    public abstract ConstraintViolation? Violation(Exception exception);

    /// <summary>Instants are kept to the millisecond in both engines, so a value reads back the same everywhere.</summary>
    public static DateTimeOffset ToMilliseconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    public DateTimeOffset? GetInstantOrNull(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : GetInstant(reader, ordinal);

    public DateOnly? GetDateOrNull(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : GetDate(reader, ordinal);

    public static void AddLong(DbCommand command, string name, long? value) => Add(command, name, DbType.Int64, value);

    public static void AddInt(DbCommand command, string name, int value) => Add(command, name, DbType.Int32, value);

    public static void AddText(DbCommand command, string name, string? value) => Add(command, name, DbType.String, value);

    public static void AddDouble(DbCommand command, string name, double value) => Add(command, name, DbType.Double, value);

    public static long? GetLongOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static string? GetTextOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static void Add(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}

internal enum ViolationKind
{
    Unique,
    ForeignKey,
    Check,
    NotNull,
}

/// <param name="Constraint">The constraint's name (PostgreSQL) or the engine's description of it (SQLite).</param>
internal sealed record ConstraintViolation(ViolationKind Kind, string Constraint);
