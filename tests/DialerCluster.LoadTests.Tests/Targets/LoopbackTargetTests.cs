using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Targets;

namespace DialerCluster.LoadTests.Tests.Targets;

public sealed class LoopbackTargetTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000/healthz")]
    [InlineData("http://localhost/")]
    [InlineData("https://LOCALHOST:8443/api")]
    [InlineData("http://[::1]:8080/")]
    [InlineData("http://127.5.6.7/")]
    public void Loopback_urls_are_accepted(string url) =>
        Assert.Equal(new Uri(url), LoopbackTarget.ParseUrl(url, "--url"));

    [Theory]
    [InlineData("http://example.com/", "not loopback")]
    [InlineData("http://10.0.0.1/", "not loopback")]
    [InlineData("http://192.168.1.20:5000/", "not loopback")]
    [InlineData("http://0.0.0.0:5000/", "not loopback")]
    [InlineData("http://[2001:db8::1]/", "not loopback")]
    [InlineData("http://localhost.example.com/", "not loopback")]
    [InlineData("ftp://127.0.0.1/", "http")]
    [InlineData("127.0.0.1:5000", "http")]
    [InlineData("", "http")]
    public void Any_other_target_is_refused_naming_the_option_and_reason(string url, string reason)
    {
        var error = Assert.Throws<BadInputException>(() => LoopbackTarget.ParseUrl(url, "--url"));

        Assert.Equal("--url", error.Field);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task The_shared_client_refuses_to_connect_anywhere_but_loopback()
    {
        // 192.0.2.0/24 is reserved for documentation: nothing is sent, the connection is refused before it is made.
        using var http = LoopbackTarget.CreateHttpClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("http://192.0.2.1/"));

        Assert.Contains("not loopback", error.ToString());
    }

    [Fact]
    public async Task The_self_test_listener_answers_200_on_keep_alive_connections()
    {
        await using var listener = SelfTestListener.Start();
        using var http = LoopbackTarget.CreateHttpClient();

        for (var i = 0; i < 3; i++)
        {
            using var content = new StringContent("{\"case\":42}");
            using var response = await http.PostAsync(new Uri(listener.BaseUrl, "anything"), content);
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(3, listener.Requests);
    }
}
