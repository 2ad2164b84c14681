using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace DialerCluster.Storage;

/// <summary>
/// PostgreSQL: timestamptz, date, time, boolean, jsonb and bigint[]/text[] parameters. Nullable parameters
/// carry their type so a NULL in a SELECT list (INSERT ... SELECT) is not taken for text.
/// </summary>
internal sealed class PostgresDialect(NpgsqlDataSource dataSource) : SqlDialect
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public override StorageDialect Kind => StorageDialect.Postgres;

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken);

    public override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(cancellationToken);

    public override void AddInstant(DbCommand command, string name, DateTimeOffset? value) =>
        Add(command, name, NpgsqlDbType.TimestampTz, value is { } v ? ToMilliseconds(v).UtcDateTime : null);

    public override DateTimeOffset GetInstant(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override void AddJson(DbCommand command, string name, string json) => Add(command, name, NpgsqlDbType.Jsonb, json);

    public override void AddDate(DbCommand command, string name, DateOnly? value) => Add(command, name, NpgsqlDbType.Date, value);

    public override DateOnly GetDate(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateOnly>(ordinal);

    public override void AddTimeOfDay(DbCommand command, string name, TimeOnly value) => Add(command, name, NpgsqlDbType.Time, value);

    public override TimeOnly GetTimeOfDay(DbDataReader reader, int ordinal) => reader.GetFieldValue<TimeOnly>(ordinal);

    public override void AddBool(DbCommand command, string name, bool value) => Add(command, name, NpgsqlDbType.Boolean, value);

    public override void AddIdList(DbCommand command, string name, IReadOnlyCollection<long> ids) =>
        Add(command, name, NpgsqlDbType.Array | NpgsqlDbType.Bigint, ids as long[] ?? ids.ToArray());

    public override void AddTextList(DbCommand command, string name, IReadOnlyCollection<string> values) =>
        Add(command, name, NpgsqlDbType.Array | NpgsqlDbType.Text, values as string[] ?? values.ToArray());

    public override string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public override ConstraintViolation? Violation(Exception exception)
    {
        if (exception is not PostgresException postgres)
        {
            return null;
        }

        ViolationKind? kind = postgres.SqlState switch
        {
            PostgresErrorCodes.UniqueViolation => ViolationKind.Unique,
            PostgresErrorCodes.ForeignKeyViolation => ViolationKind.ForeignKey,
            PostgresErrorCodes.CheckViolation => ViolationKind.Check,
            PostgresErrorCodes.NotNullViolation => ViolationKind.NotNull,
            _ => null,
        };
        return kind is null ? null : new ConstraintViolation(kind.Value, postgres.ConstraintName ?? postgres.MessageText);
    }

    private static void Add(DbCommand command, string name, NpgsqlDbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
}
