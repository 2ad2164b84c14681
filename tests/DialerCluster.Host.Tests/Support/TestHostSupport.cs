using System.Net.Http.Json;

namespace DialerCluster.Host.Tests.Support;

/// <summary>What the in-process test hosts share: bearer sign-in and their throwaway data folders.</summary>
internal static class TestHostSupport
{
    public static async Task<string> TokenAsync(HttpClient client, string userName, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { userName, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        return token!.AccessToken;
    }

    public static void DeleteDataFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform: it is in the temp folder, left for the OS to clean.
        }
    }

    private sealed record TokenResponse(string AccessToken);
}
