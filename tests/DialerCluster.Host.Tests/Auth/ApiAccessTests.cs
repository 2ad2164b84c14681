using System.Net;
using System.Net.Http.Json;
using DialerCluster.Host.Auth;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Auth;

/// <summary>
/// Every API endpoint against every kind of caller, through the real host: anonymous → 401, a role or scope
/// the rule does not allow → 403, a caller it allows → anything but 401/403.
/// </summary>
public sealed class ApiAccessTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    public static TheoryData<string> Protected => ApiRoutes.Named(r => !r.Allowed.Contains(Caller.Anonymous));

    public static TheoryData<string> WithRefusals => ApiRoutes.Named(r => r.Refused.Length > 0);

    public static TheoryData<string> WithAllowed => ApiRoutes.Named(r => r.Allowed.Length > 0);

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task Anonymous_callers_are_refused_with_401(string route)
    {
        var status = await CallAsync(Caller.Anonymous, ApiRoutes.ByName(route));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Theory]
    [MemberData(nameof(WithRefusals))]
    public async Task Callers_outside_the_rule_are_refused_with_403(string route)
    {
        var row = ApiRoutes.ByName(route);
        foreach (var caller in row.Refused)
        {
            var status = await CallAsync(caller, row);
            Assert.True(status == HttpStatusCode.Forbidden, $"{caller}: expected 403, got {(int)status}");
        }
    }

    [Theory]
    [MemberData(nameof(WithAllowed))]
    public async Task Callers_the_rule_allows_get_through(string route)
    {
        var row = ApiRoutes.ByName(route);
        foreach (var caller in row.Allowed)
        {
            var status = await CallAsync(caller, row);
            Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{caller}: got {(int)status}");
        }
    }

    [Fact]
    public void Every_mapped_api_endpoint_has_an_access_rule_and_a_test_row()
    {
        var mapped = MappedApiRoutes();
        var tested = ApiRoutes.All.Select(r => ApiAccessRules.Key(r.Method, r.Pattern)).ToHashSet();
        var withoutRule = mapped.Where(key => !ApiAccessRules.Table.ContainsKey(key)).Order().ToArray();
        var withoutTest = mapped.Where(key => !tested.Contains(key)).Order().ToArray();
        Assert.Empty(withoutRule);
        Assert.Empty(withoutTest);
    }

    [Fact]
    public void Every_access_rule_belongs_to_a_mapped_endpoint()
    {
        var mapped = MappedApiRoutes();
        var stale = ApiAccessRules.Table.Keys.Where(key => !mapped.Contains(key)).Order().ToArray();
        Assert.Empty(stale);
    }

    private HashSet<string> MappedApiRoutes()
    {
        _ = world.Factory.Server;
        var sources = world.Factory.Services.GetServices<EndpointDataSource>();
        return sources
            .SelectMany(s => s.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && ApiAccessRules.IsApiRoute(raw))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(method => ApiAccessRules.Key(method, e.RoutePattern.RawText!)))
            .ToHashSet();
    }

    private async Task<HttpStatusCode> CallAsync(Caller caller, ApiRoute route)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), world.Resolve(route.Path));
        if (ReferenceEquals(route.Body, ApiRoutes.Multipart))
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent("name,phone\nWalk-in,+4930190000077\n"u8.ToArray());
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", "leads.csv");
            form.Add(new StringContent("access test " + Guid.NewGuid().ToString("N")[..6]), "name");
            form.Add(new StringContent("DE"), "defaultCountry");
            request.Content = form;
        }
        else if (route.Body is not null)
        {
            request.Content = JsonContent.Create(route.Body);
        }

        // Headers only: the monitor stream never ends, and the status is all an access test needs.
        using var response = await world.Client(caller).SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
