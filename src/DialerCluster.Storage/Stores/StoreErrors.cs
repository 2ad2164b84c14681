using System.Data.Common;
using DialerCluster.Dialing.Stores;
using Orleans.Storage;

namespace DialerCluster.Storage;

/// <summary>Turns broken constraints into the errors the stores promise, each naming the field.</summary>
internal static class StoreErrors
{
    public static Exception Translate(SqlDialect dialect, DbException exception, string uniqueField, string what, string? foreignKeyMessage = null)
    {
        var violation = dialect.Violation(exception);
        return violation?.Kind switch
        {
            ViolationKind.Unique => new DuplicateKeyException(uniqueField, $"{uniqueField}: {what} is already taken.", exception),
            ViolationKind.ForeignKey when foreignKeyMessage is not null => new ArgumentException(foreignKeyMessage, exception),
            ViolationKind.Check or ViolationKind.NotNull or ViolationKind.ForeignKey =>
                new ArgumentException($"{what} was refused by the database ({violation.Constraint}).", exception),
            _ => exception,
        };
    }

    public static InconsistentStateException Conflict(string what, long? storedVersion, long expectedVersion) =>
        new(
            storedVersion is null
                ? $"{what} does not exist (expected version {expectedVersion})."
                : $"{what} is at version {storedVersion}, not the expected {expectedVersion}: someone changed it meanwhile.",
            storedVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            expectedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
