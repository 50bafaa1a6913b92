using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Crypto.DevPki;
using Gateway.Tests.Federation;

namespace Gateway.Tests.Access;

/// <summary>
/// Who may call the internal listener (DESIGN §10, §14): personal client certificates from this node's internal CA,
/// the person's roles from the people directory. The endpoints are taken from the node's own OpenAPI document, so a
/// new content or oversight endpoint is covered without touching this test.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InternalAccessTests : IClassFixture<InternalAccessTests.Nodes>
{
    private readonly Nodes _nodes;

    public InternalAccessTests(Nodes nodes) => _nodes = nodes;

    [Fact]
    public async Task An_operator_certificate_gets_403_ROLE_FORBIDDEN_on_every_content_endpoint()
    {
        var endpoints = await ContentEndpointsAsync();
        Assert.True(endpoints.Count >= 9, $"the OpenAPI document lists only {endpoints.Count} content endpoints");

        foreach (var (method, path) in endpoints)
        {
            using var response = await _nodes.Estonia.ApiAs(DevClientRoles.Operator).SendAsync(Request(method, path));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode} {text}");
            Assert.Contains("ROLE_FORBIDDEN", text);
        }
    }

    [Fact]
    public async Task An_auditor_certificate_gets_403_on_every_content_endpoint()
    {
        foreach (var (method, path) in await ContentEndpointsAsync())
        {
            using var response = await _nodes.Estonia.ApiAs(DevClientRoles.Auditor).SendAsync(Request(method, path));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_caseworker_gets_403_ROLE_FORBIDDEN_on_every_oversight_endpoint_and_an_auditor_reaches_them()
    {
        var endpoints = await OversightEndpointsAsync();
        Assert.True(endpoints.Count >= 3, $"the OpenAPI document lists only {endpoints.Count} oversight endpoints");

        foreach (var (method, path) in endpoints)
        {
            using var response = await _nodes.Estonia.Api.SendAsync(Request(method, path));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode} {text}");
            Assert.Contains("ROLE_FORBIDDEN", text);

            using var asAuditor = await _nodes.Estonia.ApiAs(DevPeople.Auditor).SendAsync(Request(method, path));
            Assert.True(asAuditor.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized), $"{method} {path} as auditor: {(int)asAuditor.StatusCode}");
        }
    }

    [Fact]
    public async Task Every_person_reads_who_they_are_and_nothing_more_from_me()
    {
        foreach (var handle in DevPeople.Handles)
        {
            using var response = await _nodes.Estonia.ApiAs(handle).GetAsync("/api/v1/me");
            var me = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(DevPeople.IdOf("EE-SKA", handle), me.GetProperty("id").GetString());
            Assert.Equal(DevPeople.Person("EE-SKA", handle).Roles, me.GetProperty("roles").EnumerateArray().Select(role => role.GetString()));
        }
    }

    [Fact]
    public async Task A_caseworker_certificate_from_another_nodes_internal_CA_is_rejected_with_401_CLIENT_CERTIFICATE_NOT_TRUSTED()
    {
        var foreign = DevPkiLayout.LoadClientCertificate(_nodes.Federation.Pki, "FI-NRM", DevClientRoles.Caseworker);
        using var client = _nodes.Estonia.ApiWith(foreign);

        foreach (var (method, path) in await ContentEndpointsAsync())
        {
            using var response = await client.SendAsync(Request(method, path));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode} {text}");
            Assert.Contains("CLIENT_CERTIFICATE_NOT_TRUSTED", text);
        }
    }

    [Fact]
    public async Task A_state_CA_TLS_certificate_of_the_node_itself_is_not_a_caseworker_certificate()
    {
        using var client = _nodes.Estonia.ApiWith(_nodes.Federation.Dev.Node("EE-SKA").Tls);

        using var response = await client.GetAsync("/api/v1/inbox");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task No_client_certificate_gets_401_CLIENT_CERTIFICATE_REQUIRED_but_health_answers()
    {
        using var client = _nodes.Estonia.ApiWith(null);

        using var inbox = await client.GetAsync("/api/v1/inbox");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.Unauthorized, inbox.StatusCode);
        Assert.Contains("CLIENT_CERTIFICATE_REQUIRED", await inbox.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task A_caseworker_reads_content_endpoints_but_gets_403_on_operator_views()
    {
        using var inbox = await _nodes.Estonia.Api.GetAsync("/api/v1/inbox");
        using var erasures = await _nodes.Estonia.Api.GetAsync("/ops/v1/erasures");
        using var asOperator = await _nodes.Estonia.ApiAs(DevClientRoles.Operator).GetAsync("/ops/v1/erasures");

        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, erasures.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_caseworker_API_and_not_the_peer_protocol()
    {
        var paths = (await OpenApiAsync()).GetProperty("paths").EnumerateObject().Select(path => path.Name).ToList();

        Assert.Contains("/api/v1/consents", paths);
        Assert.Contains("/api/v1/referrals/preview", paths);
        Assert.Contains("/api/v1/inbox/{messageId}/replies", paths);
        Assert.DoesNotContain(paths, path => path.StartsWith("/peer/", StringComparison.Ordinal));
    }

    private async Task<JsonElement> OpenApiAsync()
    {
        using var response = await _nodes.Estonia.Api.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>
    /// Every operation under /api/v1 in the node's OpenAPI document that shows or changes case content, with path
    /// parameters filled in: all but <c>/api/v1/me</c> (anyone signed in) and the oversight views (auditors).
    /// </summary>
    private Task<IReadOnlyList<(string Method, string Path)>> ContentEndpointsAsync() =>
        EndpointsAsync(path => path.StartsWith("/api/v1/", StringComparison.Ordinal) && path != "/api/v1/me" && !path.StartsWith("/api/v1/oversight/", StringComparison.Ordinal));

    private Task<IReadOnlyList<(string Method, string Path)>> OversightEndpointsAsync() =>
        EndpointsAsync(path => path.StartsWith("/api/v1/oversight/", StringComparison.Ordinal));

    private async Task<IReadOnlyList<(string Method, string Path)>> EndpointsAsync(Func<string, bool> include)
    {
        var endpoints = new List<(string, string)>();
        foreach (var path in (await OpenApiAsync()).GetProperty("paths").EnumerateObject().Where(path => include(path.Name)))
        {
            var concrete = System.Text.RegularExpressions.Regex.Replace(path.Name, @"\{[^}]+\}", Guid.NewGuid().ToString());
            endpoints.AddRange(path.Value.EnumerateObject().Select(operation => (operation.Name.ToUpperInvariant(), concrete)));
        }

        return endpoints;
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "GET" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
    };

    public sealed class Nodes : IAsyncLifetime
    {
        internal TestFederation Federation { get; private set; } = null!;

        internal GatewayNode Estonia { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Federation = TestFederation.Create("EE-SKA", "FI-NRM");
            Estonia = await Federation.StartAsync(Federation.OptionsFor("EE-SKA"));
        }

        public async Task DisposeAsync() => await Federation.DisposeAsync();
    }
}
