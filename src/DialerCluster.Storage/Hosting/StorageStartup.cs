using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DialerCluster.Storage;

/// <summary>
/// Migrates the schema in the host's <em>starting</em> phase, which runs before any hosted service
/// starts (Kestrel included), so no request and no grain ever sees an old schema.
/// </summary>
internal sealed class StorageStartup : IHostedLifecycleService
{
    private readonly ISchemaMigrator _migrator;
    private readonly StorageOptions _options;
    private readonly ILogger<StorageStartup> _logger;

    public StorageStartup(ISchemaMigrator migrator, StorageOptions options, ILogger<StorageStartup> logger)
    {
        _migrator = migrator;
        _options = options;
        _logger = logger;
    }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var result = await _migrator.MigrateAsync(cancellationToken);
        if (result.Applied.Count > 0)
        {
            _logger.LogInformation(
                "Storage: {Where}; schema migrated from version {From} to {To} ({Applied})",
                _options.Describe(), result.PreviousVersion, result.CurrentVersion, string.Join(", ", result.Applied));
        }
        else
        {
            _logger.LogInformation("Storage: {Where}; schema at version {Version}", _options.Describe(), result.CurrentVersion);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
