using Microsoft.AspNetCore.Routing.Matching;

namespace Gateway.Service.Node;

/// <summary>
/// Pins endpoints to the listener a request arrived on. <c>RequireHost</c> would match the Host header, which the
/// client writes: a partner could then reach the internal API through the peer port by naming the internal one.
/// Decided while routing, so an endpoint on the other listener is not found rather than bound and then refused.
/// </summary>
internal static class ListenerRouting
{
    public static TBuilder RequireListener<TBuilder>(this TBuilder builder, int port)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ListenerMetadata(port));

    internal sealed record ListenerMetadata(int Port);

    internal sealed class ListenerMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
    {
        public override int Order => 0;

        public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
            endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<ListenerMetadata>() is not null);

        public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                if (candidates[i].Endpoint.Metadata.GetMetadata<ListenerMetadata>() is { } listener && listener.Port != httpContext.Connection.LocalPort)
                {
                    candidates.SetValidity(i, false);
                }
            }

            return Task.CompletedTask;
        }
    }
}
