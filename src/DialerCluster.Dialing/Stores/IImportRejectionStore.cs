namespace DialerCluster.Dialing.Stores;

/// <summary>
/// Every row an import refused, as a CSV file for the user who imported it, kept until <see cref="ExpiresAt"/>.
/// </summary>
public sealed record ImportRejections(
    string ImportId,
    string UserName,
    string FileName,
    int RejectedRows,
    string Csv,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);

/// <summary>The full rejected-row lists of recent imports (the import's answer shows only the first rows).</summary>
public interface IImportRejectionStore
{
    /// <summary>Stores the list and deletes those expired by its <see cref="ImportRejections.CreatedAt"/>.</summary>
    Task SaveAsync(ImportRejections rejections, CancellationToken cancellationToken);

    /// <summary>The list of that import while it is kept; null when unknown or expired.</summary>
    Task<ImportRejections?> GetAsync(string importId, DateTimeOffset now, CancellationToken cancellationToken);
}
