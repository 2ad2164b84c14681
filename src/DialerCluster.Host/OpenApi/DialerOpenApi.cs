using System.Text.Json;
using System.Text.Json.Nodes;
using DialerCluster.Host.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DialerCluster.Host.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json (issue 15.11, 15.14): for signed-in users unless <c>OpenApi:Anonymous</c>
/// is true; with the enums' wire values, a summary on every operation, and the security schemes (bearer token,
/// session cookie) required by exactly the operations <see cref="ApiAccessRules"/> protects.
/// </summary>
internal static class DialerOpenApi
{
    public const string Bearer = "bearer";
    public const string Cookie = "cookie";

    public static IServiceCollection AddDialerOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer(AddSecuritySchemes);
        options.AddOperationTransformer(DescribeOperation);
        options.AddSchemaTransformer(ListEnumValues);
    });

    public static IEndpointRouteBuilder MapDialerOpenApi(this IEndpointRouteBuilder app, bool anonymous)
    {
        var document = app.MapOpenApi();
        if (!anonymous)
        {
            document.RequireAuthorization(DialerPolicies.SignedIn);
        }

        return app;
    }

    private static Task AddSecuritySchemes(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "POST /api/auth/token with {userName, password} gives accessToken and refreshToken; POST /api/auth/refresh rotates them.",
        };
        document.Components.SecuritySchemes[Cookie] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "dialer.session",
            Description = "The pages' session (POST /api/auth/login). Writes with it must carry the host's own Origin.",
        };

        foreach (var operation in (document.Paths ?? []).SelectMany(p => p.Value.Operations ?? []).Select(o => o.Value))
        {
            if (operation.Security is { Count: > 0 } marked && marked[0].Count == 0)
            {
                operation.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Cookie, document)] = [] },
                ];
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>A summary when the endpoint gives none, and who may call it, from the access table.</summary>
    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(operation.Summary))
        {
            operation.Summary = operation.OperationId is { } id && OpenApiSummaries.ByOperation.TryGetValue(id, out var summary)
                ? summary
                : Words(operation.OperationId ?? context.Description.RelativePath ?? "operation");
        }

        var method = context.Description.HttpMethod ?? "GET";
        var rule = ApiAccessRules.For(method, "/" + context.Description.RelativePath);
        if (rule.Policy is not null)
        {
            // Marked here, filled with the schemes' references by the document transformer (which sees the document).
            operation.Security = [new OpenApiSecurityRequirement()];
            var who = rule.Policy switch
            {
                DialerPolicies.Admin => "Admins only.",
                DialerPolicies.Management => "Supervisors and admins.",
                _ => rule.Scope == AccessScope.None ? "Any signed-in user." : "Any signed-in user; an agent only within its own agent, campaigns and cases.",
            };
            operation.Description = string.IsNullOrEmpty(operation.Description) ? who : operation.Description + " " + who;
        }

        return Task.CompletedTask;
    }

    /// <summary>Enums travel as their snake_case wire names (DialerJson): list them, as the serializer writes them.</summary>
    private static Task ListEnumValues(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var enumType = Nullable.GetUnderlyingType(type) ?? type;
        if (!enumType.IsEnum)
        {
            return Task.CompletedTask;
        }

        var options = context.JsonTypeInfo.Options;
        schema.Type = enumType == type ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
        schema.Format = null;
        schema.Enum = Enum.GetValues(enumType).Cast<object>()
            .Select(value => JsonNode.Parse(JsonSerializer.Serialize(value, enumType, options))!)
            .ToList();
        return Task.CompletedTask;
    }

    /// <summary>"NextCase" → "Next case".</summary>
    private static string Words(string name)
    {
        var words = new System.Text.StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && words.Length > 0)
            {
                words.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                words.Append(c);
            }
        }

        return words.ToString();
    }
}
