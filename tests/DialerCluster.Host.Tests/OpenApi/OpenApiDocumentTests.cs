using System.Net;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace DialerCluster.Host.Tests.OpenApi;

/// <summary>
/// The OpenAPI document (issue 15.11, 15.14): for signed-in users by default (OpenApi:Anonymous opens it), with enum
/// values, a summary on every operation and the security schemes on exactly the protected operations.
/// </summary>
public sealed class OpenApiDocumentTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    private const string Path = "/openapi/v1.json";

    [Fact]
    public async Task The_document_is_for_signed_in_users_by_default()
    {
        using var anonymous = factory.CreateClient();
        using var response = await anonymous.GetAsync(Path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await (await factory.AdminAsync()).GetJsonAsync(Path);
    }

    [Fact]
    public async Task OpenApi_Anonymous_serves_it_to_anyone()
    {
        await using var open = factory.WithWebHostBuilder(b => b.UseSetting("OpenApi:Anonymous", "true"));
        using var anonymous = open.CreateClient();
        using var response = await anonymous.GetAsync(Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Every_operation_has_a_summary()
    {
        var operations = Operations(await DocumentAsync()).ToArray();
        Assert.NotEmpty(operations);
        Assert.Empty(operations.Where(o => !o.Operation.TryGetProperty("summary", out var s) || string.IsNullOrWhiteSpace(s.GetString())).Select(o => o.Name));
    }

    [Fact]
    public async Task The_security_schemes_are_declared_and_required_by_the_protected_operations_only()
    {
        var document = await DocumentAsync();
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal(("http", "bearer"), (schemes.GetProperty("bearer").GetProperty("type").GetString(), schemes.GetProperty("bearer").GetProperty("scheme").GetString()));
        Assert.Equal(("apiKey", "cookie", "dialer.session"), (schemes.GetProperty("cookie").GetProperty("type").GetString(), schemes.GetProperty("cookie").GetProperty("in").GetString(), schemes.GetProperty("cookie").GetProperty("name").GetString()));

        var operations = Operations(document).ToDictionary(o => o.Name, o => o.Operation);
        string[] Required(string name) => operations[name].TryGetProperty("security", out var security)
            ? security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal).ToArray()
            : [];
        Assert.Equal(["bearer", "cookie"], Required("POST /api/agents/{id}/next-case"));
        Assert.Equal(["bearer", "cookie"], Required("GET /api/users"));
        Assert.Empty(Required("POST /api/auth/token"));
        Assert.Empty(Required("POST /api/auth/login"));
        Assert.Contains("Supervisors and admins", operations["GET /api/users"].GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enums_list_their_wire_values_wherever_they_appear()
    {
        var lists = new List<string>();
        Collect(await DocumentAsync(), lists);

        Assert.Contains("new,in_acquisition,offered,won,resigned", lists);
        Assert.Contains("preview,progressive,power,predictive", lists);
        Assert.Contains("talked,no_answer,busy,voicemail,failed,abandoned", lists);
        Assert.Contains("offline,ready,on_call,wrap_up,break", lists);
        Assert.Contains("low,normal,high", lists);

        static void Collect(JsonElement element, List<string> lists)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "enum")
                    {
                        lists.Add(string.Join(",", property.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString())));
                    }

                    Collect(property.Value, lists);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, lists);
                }
            }
        }
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var admin = await factory.AdminAsync();
        return await admin.GetJsonAsync(Path);
    }

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete")
            .Select(o => ($"{o.Name.ToUpperInvariant()} {path.Name}", o.Value)));
}
