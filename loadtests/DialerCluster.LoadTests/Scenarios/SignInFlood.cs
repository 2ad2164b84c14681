using System.Collections.Concurrent;
using System.Net.Http.Json;
using DialerCluster.LoadTests.Targets;

namespace DialerCluster.LoadTests.Scenarios;

/// <summary>
/// Sign-ins sent by <paramref name="copies"/> loops on a client of their own, back to back, while a measured scenario
/// runs beside them (the flood is the background, not the thing measured): POST /api/auth/token with the credentials
/// each loop is given (by its number). Counts every answer by status.
/// </summary>
internal sealed class SignInFlood(Uri baseUrl, int copies, Func<int, (string UserName, string Password)> credentialsOfLoop) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, long> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = LoopbackTarget.CreateHttpClient();
    private readonly System.Diagnostics.Stopwatch _clock = new();
    private Task? _loops;

    /// <summary>Answers by HTTP status; 0 for a request that got no answer (timed out, connection refused).</summary>
    public IReadOnlyDictionary<int, long> Answers => _answers;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Start()
    {
        _clock.Start();
        _loops = Task.WhenAll(Enumerable.Range(0, copies).Select(copy => Task.Run(() => LoopAsync(copy))));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loops is not null)
        {
            await _loops;
        }

        _clock.Stop();
    }

    private async Task LoopAsync(int copy)
    {
        var url = new Uri(baseUrl, "api/auth/token");
        var (userName, password) = credentialsOfLoop(copy);
        while (!_stop.IsCancellationRequested)
        {
            var status = 0;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                using var response = await _http.PostAsJsonAsync(url, new { userName, password }, timeout.Token);
                status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
            }

            _answers.AddOrUpdate(status, 1, static (_, n) => n + 1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _http.Dispose();
    }
}
