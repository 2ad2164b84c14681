using System.Collections.Concurrent;
using System.Reflection;
using DialerCluster.Dialing.Cases;
using Microsoft.AspNetCore.Mvc;

namespace DialerCluster.Host.Ids;

/// <summary>Where a parameter's text comes from.</summary>
internal enum IdSource
{
    Route,
    Query,
}

/// <summary>One request parameter that must be canonical decimal (see <see cref="CanonicalId"/>).</summary>
internal sealed record IdParameter(string Name, IdSource Source);

/// <summary>
/// Which route and query values of an endpoint are ids (or other whole numbers) that must be canonical before
/// anything reads them: every route parameter named <c>id</c> or <c>…Id</c>, and every parameter the handler
/// binds as an integer from the route or the query string. Worked out once per endpoint from its route
/// pattern and handler signature, so a new endpoint is covered without being listed anywhere.
/// </summary>
internal static class IdParameters
{
    private static readonly ConcurrentDictionary<RouteEndpoint, IReadOnlyList<IdParameter>> Plans = new();

    public static IReadOnlyList<IdParameter> Of(RouteEndpoint endpoint) => Plans.GetOrAdd(endpoint, Plan);

    /// <summary>The first parameter that is not canonical decimal, named; null when all are (or absent).</summary>
    public static FieldError? FirstRefusal(HttpContext context, RouteEndpoint endpoint)
    {
        foreach (var parameter in Of(endpoint))
        {
            if (parameter.Source == IdSource.Route)
            {
                var value = context.Request.RouteValues[parameter.Name]?.ToString();
                if (value is not null && !CanonicalId.TryParse(value, out _))
                {
                    return new FieldError(parameter.Name, CanonicalId.Refusal(value));
                }
            }
            else if (context.Request.Query.TryGetValue(parameter.Name, out var values))
            {
                // A repeated key would be read as "1,15" by one reader and "1" by another: refuse it outright.
                if (values.Count != 1)
                {
                    return new FieldError(parameter.Name, "must be given once");
                }

                if (!CanonicalId.TryParse(values[0], out _))
                {
                    return new FieldError(parameter.Name, CanonicalId.Refusal(values[0]));
                }
            }
        }

        return null;
    }

    private static IReadOnlyList<IdParameter> Plan(RouteEndpoint endpoint)
    {
        var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var handler = endpoint.Metadata.GetMetadata<MethodInfo>();
        var plan = new List<IdParameter>();
        foreach (var name in routeNames.Where(n => IsIdName(n) && !IsReadAsText(handler, n)))
        {
            plan.Add(new IdParameter(name, IdSource.Route));
        }

        if (handler is not null)
        {
            foreach (var parameter in handler.GetParameters())
            {
                if (!IsWholeNumber(parameter.ParameterType) || parameter.Name is null || IsBoundElsewhere(parameter))
                {
                    continue;
                }

                var name = parameter.GetCustomAttribute<FromRouteAttribute>()?.Name
                    ?? parameter.GetCustomAttribute<FromQueryAttribute>()?.Name
                    ?? parameter.Name;
                var source = routeNames.Contains(name) ? IdSource.Route : IdSource.Query;
                if (!plan.Any(p => p.Source == source && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    plan.Add(new IdParameter(name, source));
                }
            }
        }

        return plan;
    }

    private static bool IsIdName(string name) =>
        name.Equals("id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Id", StringComparison.Ordinal);

    /// <summary>An id the handler binds as text (an import's id is a GUID): not a number, so not this rule's.</summary>
    private static bool IsReadAsText(MethodInfo? handler, string routeName) =>
        handler?.GetParameters().Any(p =>
            string.Equals(p.GetCustomAttribute<FromRouteAttribute>()?.Name ?? p.Name, routeName, StringComparison.OrdinalIgnoreCase)
            && (p.ParameterType == typeof(string) || p.ParameterType == typeof(Guid))) == true;

    private static bool IsWholeNumber(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t
        && (t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(ulong) || t == typeof(uint) || t == typeof(ushort));

    private static bool IsBoundElsewhere(ParameterInfo parameter) =>
        parameter.GetCustomAttribute<FromBodyAttribute>() is not null
        || parameter.GetCustomAttribute<FromServicesAttribute>() is not null
        || parameter.GetCustomAttribute<FromHeaderAttribute>() is not null
        || parameter.GetCustomAttribute<FromFormAttribute>() is not null;
}
