using System.Net;
using Gateway.Service.Node;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Access;

/// <summary>Who am I, and signing in and out through the identity provider, on the internal listener.</summary>
internal static class AccessApi
{
    public static void MapAccessApiV1(this IEndpointRouteBuilder app, int internalPort)
    {
        app.MapGet("/api/v1/me", (HttpContext context) => TypedResults.Ok(context.User.RequiredPerson()))
            .RequireListener(internalPort).RequireAuthorization(InternalRoles.AnyRole).WithTags("People")
            .WithSummary("The signed-in person: id, name, roles and units");
        var signIn = app.MapGroup(string.Empty).RequireListener(internalPort).ExcludeFromDescription();
        signIn.MapGet("/signin", SignIn);
        signIn.MapGet("/signed-in", SignedIn);
        signIn.MapPost("/signout", (Delegate)SignOutAsync);
    }

    /// <summary>A path of this site to go to after signing in; anything else (another site, a scheme) becomes <c>/</c>.</summary>
    public static string LocalPath(string? candidate) =>
        candidate is { Length: > 0 } path && path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\')) ? path : "/";

    private static Results<ChallengeHttpResult, ProblemHttpResult> SignIn(string? returnUrl, IOptions<AccessOptions> access)
    {
        if (!access.Value.OpenIdConnect.Enabled)
        {
            return new GatewayProblem(404, AccessCodes.SignInNotConfigured, "this node has no identity provider configured; sign in with a personal client certificate").ToResult();
        }

        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalPath(returnUrl) }, [AccessServices.OpenIdConnectScheme]);
    }

    /// <summary>A page of this site that continues to <paramref name="to"/>, so the browser sends the new SameSite=Strict session.</summary>
    private static ContentHttpResult SignedIn(string? to)
    {
        var target = WebUtility.HtmlEncode(LocalPath(to));
        return TypedResults.Content(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url={target}\"><title>Signed in</title></head>"
            + $"<body><p><a href=\"{target}\">Continue</a></p></body></html>",
            "text/html; charset=utf-8");
    }

    private static async Task<NoContent> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(AccessServices.SessionScheme);
        return TypedResults.NoContent();
    }
}
