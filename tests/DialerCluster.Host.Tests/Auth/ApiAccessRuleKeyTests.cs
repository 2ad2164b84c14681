using DialerCluster.Host.Auth;

namespace DialerCluster.Host.Tests.Auth;

public sealed class ApiAccessRuleKeyTests
{
    [Theory]
    [InlineData("GET", "/api/cases/{id}", "GET /api/cases/{}")]
    [InlineData("get", "/api/cases/{id:long}/", "GET /api/cases/{}")]
    [InlineData("PUT", "api/campaigns/{id}/agents/{agentId}", "PUT /api/campaigns/{}/agents/{}")]
    [InlineData("POST", "/api/campaigns/{campaignId}/cases/", "POST /api/campaigns/{}/cases")]
    [InlineData("DELETE", "/API/DNC/{phone}", "DELETE /api/dnc/{}")]
    public void Route_keys_ignore_parameter_names_constraints_case_and_trailing_slashes(string method, string pattern, string key) =>
        Assert.Equal(key, ApiAccessRules.Key(method, pattern));

    [Fact]
    public void An_api_route_nobody_classified_is_for_admins_only()
    {
        var rule = ApiAccessRules.For("POST", "/api/something-new/{id}");
        Assert.Equal(DialerPolicies.Admin, rule.Policy);
        Assert.False(ApiAccessRules.IsListed("POST", "/api/something-new/{id}"));
    }

    [Theory]
    [InlineData("/healthz", false)]
    [InlineData("/metrics", false)]
    [InlineData("/openapi/v1.json", false)]
    [InlineData("/api/monitor", true)]
    [InlineData("api/cases/{id}", true)]
    public void Only_routes_under_api_are_governed_by_the_table(string pattern, bool governed) =>
        Assert.Equal(governed, ApiAccessRules.IsApiRoute(pattern));

    [Fact]
    public void Sign_in_routes_are_the_only_ones_open_to_anonymous_callers()
    {
        var open = ApiAccessRules.Table.Where(r => r.Value.Policy is null).Select(r => r.Key).Order().ToArray();
        Assert.Equal(["POST /api/auth/login", "POST /api/auth/logout", "POST /api/auth/refresh", "POST /api/auth/token"], open);
    }
}
