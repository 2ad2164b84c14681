namespace DialerCluster.LoadTests.Model;

/// <summary>
/// What one step reports: ok or failed, with the HTTP status and the bytes received when there are some.
/// <see cref="Skip"/>: the step had nothing to do in this iteration (a mixed scenario draws which actions an
/// iteration takes); it is not recorded and the iteration goes on, so each step's row counts only real requests.
/// </summary>
internal readonly record struct StepResult(bool IsOk, int? StatusCode, long SizeBytes, string? Error, bool IsSkipped = false)
{
    public static StepResult Ok(int? statusCode = null, long sizeBytes = 0) => new(true, statusCode, sizeBytes, null);

    public static StepResult Fail(string error, int? statusCode = null, long sizeBytes = 0) => new(false, statusCode, sizeBytes, error);

    public static StepResult Skip() => new(true, null, 0, null, IsSkipped: true);
}
