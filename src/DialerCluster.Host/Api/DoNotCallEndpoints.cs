using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Host.Api;

public sealed record DoNotCallBody(string? Phone, string? Reason = null, string? DefaultCountry = null);

public sealed record DoNotCallResponse(string Phone, bool Added);

internal static class DoNotCallEndpoints
{
    public const int ReasonMaxLength = 500;

    public static RouteGroupBuilder MapDoNotCall(this RouteGroupBuilder api)
    {
        var dnc = api.MapGroup("/dnc").WithTags("Do not call");
        dnc.MapGet("/", ListAsync).WithName("ListDoNotCall");
        dnc.MapPost("/", AddAsync).WithName("AddDoNotCall");
        dnc.MapDelete("/{phone}", RemoveAsync).WithName("RemoveDoNotCall");
        return dnc;
    }

    private static async Task<IResult> ListAsync(IDoNotCallStore store, CancellationToken cancellationToken) =>
        Results.Ok((await store.AllAsync(cancellationToken)).Order(StringComparer.Ordinal).ToArray());

    private static async Task<IResult> AddAsync(DoNotCallBody body, DoNotCallRegistry registry, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Phone))
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "phone", "is required");
        }

        if (!PhoneNumber.TryNormalize(body.Phone, body.DefaultCountry, out var e164, out var reason))
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "phone", $"'{body.Phone}' is not a phone number: {reason}");
        }

        if (body.Reason is { Length: > ReasonMaxLength })
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "reason", $"must be at most {ReasonMaxLength} characters");
        }

        var added = await registry.AddAsync(e164, body.Reason, CancellationToken.None);
        var response = new DoNotCallResponse(e164, added);
        return added ? Results.Created($"/api/dnc/{Uri.EscapeDataString(e164)}", response) : Results.Ok(response);
    }

    private static async Task<IResult> RemoveAsync(string phone, DoNotCallRegistry registry, CancellationToken cancellationToken)
    {
        if (!PhoneNumber.TryNormalize(phone, null, out var e164, out var reason))
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "phone", $"'{phone}' is not an international phone number (+CC…): {reason}");
        }

        return await registry.RemoveAsync(e164, CancellationToken.None)
            ? Results.NoContent()
            : ApiProblems.Problem(StatusCodes.Status404NotFound, "phone", $"{e164} is not on the do-not-call list");
    }
}
