using System.Text.Json;

namespace DialerCluster.Host.Tests.Cluster;

/// <summary>An event of the wall's stream as a test saw it: its name, its data, and when it arrived here.</summary>
internal sealed record WallEvent(string Name, JsonElement Data, DateTimeOffset ReceivedAt);

/// <summary>
/// A supervisor's wall on one node, as a test reads it: GET /api/monitor/stream read in the background, every event
/// kept with the time it arrived, so a test can wait for one and tell how long a change took to get here.
/// </summary>
internal sealed class WallStream : IAsyncDisposable
{
    private readonly List<WallEvent> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpResponseMessage _response;
    private readonly Task _reading;

    private WallStream(HttpResponseMessage response)
    {
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    public static async Task<WallStream> OpenAsync(HttpClient client)
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/monitor/stream"), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var stream = new WallStream(response);
        await stream.WaitForAsync(e => e.Name == "snapshot", TimeSpan.FromSeconds(30));
        return stream;
    }

    public IReadOnlyList<WallEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The first event so far that matches, or the first to arrive before <paramref name="timeout"/>; null if none did.</summary>
    public async Task<WallEvent?> WaitForAsync(Func<WallEvent, bool> match, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var found = Events.FirstOrDefault(match);
            if (found is not null || DateTimeOffset.UtcNow > until || _reading.IsCompleted)
            {
                return found;
            }

            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The stream was cut on purpose.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
        string? name = null;
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name is not null)
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                lock (_events)
                {
                    _events.Add(new WallEvent(name, data, DateTimeOffset.UtcNow));
                }

                name = null;
            }
        }
    }
}
