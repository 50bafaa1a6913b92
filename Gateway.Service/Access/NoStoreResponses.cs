namespace Gateway.Service.Access;

/// <summary>What the internal listener answers a person is never kept by a browser or a proxy (DESIGN §15): <c>Cache-Control: no-store</c>.</summary>
public static class NoStoreResponses
{
    public static IApplicationBuilder UseNoStore(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            if (!context.Request.Path.StartsWithSegments("/peer", StringComparison.Ordinal))
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}
