using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Display;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace DialerCluster.Host.Api;

/// <summary>
/// Applies <see cref="DisplayText"/> to everything an endpoint is given as text (issue 15.12): string route and query
/// values, and every string inside a JSON body, nested objects, lists and dictionary keys included, named by their
/// wire path ("name", "contact.company", "attributes.region"). Any refusal is a 422 naming each field, before the
/// endpoint runs. Worked out once per endpoint from its handler's parameters; an endpoint given no text (Next case)
/// gets no filter at all. Passwords are exempt: they are never shown, and any character may be in one.
/// </summary>
internal static class DisplayTextFilter
{
    private const int MaxDepth = 8;

    public static TBuilder CheckDisplayedText<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var parameters = context.MethodInfo.GetParameters();
        var services = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var checks = new List<(int Index, string? Field)>();
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.GetCustomAttribute<FromServicesAttribute>() is not null || services?.IsService(parameter.ParameterType) == true)
            {
                continue;
            }

            if (parameter.ParameterType == typeof(string))
            {
                checks.Add((i, parameter.Name));
            }
            else if (IsContract(parameter.ParameterType))
            {
                // A body: its fields are named as on the wire, without a prefix.
                checks.Add((i, null));
            }
        }

        if (checks.Count == 0)
        {
            return next;
        }

        var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return invocation =>
        {
            var errors = new List<FieldError>();
            foreach (var (index, field) in checks)
            {
                Walk(invocation.Arguments[index], field, json, errors, 0);
            }

            return errors.Count == 0
                ? next(invocation)
                : ValueTask.FromResult<object?>(ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, errors));
        };
    }

    private static void Walk(object? value, string? path, JsonSerializerOptions json, List<FieldError> errors, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return;
        }

        if (value is string text)
        {
            if (DisplayText.Refusal(text) is { } reason)
            {
                errors.Add(new FieldError(path ?? "body", reason));
            }

            return;
        }

        var type = value.GetType();
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                var key = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                var keyPath = Join(path, key);
                if (DisplayText.Refusal(key) is { } reason)
                {
                    errors.Add(new FieldError(keyPath, "name " + reason));
                }

                Walk(entry.Value, keyPath, json, errors, depth + 1);
            }

            return;
        }

        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                Walk(item, $"{path ?? "body"}[{index++}]", json, errors, depth + 1);
            }

            return;
        }

        if (!IsContract(type) || json.GetTypeInfo(type) is not { Kind: JsonTypeInfoKind.Object } info)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.Get is null || property.Name.Contains("password", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Walk(property.Get(value), Join(path, property.Name), json, errors, depth + 1);
        }
    }

    /// <summary>The API's own request types (records of this product), not the framework's.</summary>
    private static bool IsContract(Type type) =>
        type is { IsClass: true, IsAbstract: false } && type != typeof(string)
        && type.Namespace?.StartsWith("DialerCluster.", StringComparison.Ordinal) == true;

    private static string Join(string? path, string name) => path is null ? name : path + "." + name;
}
