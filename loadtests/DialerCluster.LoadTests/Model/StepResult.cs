namespace DialerCluster.LoadTests.Model;

/// <summary>What one step reports: ok or failed, with the HTTP status and the bytes received when there are some.</summary>
internal readonly record struct StepResult(bool IsOk, int? StatusCode, long SizeBytes, string? Error)
{
    public static StepResult Ok(int? statusCode = null, long sizeBytes = 0) => new(true, statusCode, sizeBytes, null);

    public static StepResult Fail(string error, int? statusCode = null, long sizeBytes = 0) => new(false, statusCode, sizeBytes, error);
}
