using System.Text.Json.Serialization;
using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Cases;
using Gateway.Service.Casework;
using Gateway.Service.Consent;
using Gateway.Service.Delivery;
using Gateway.Service.Disclosure;
using Gateway.Service.Erasure;
using Gateway.Service.Inbox;
using Gateway.Service.Keys;
using Gateway.Service.Node;
using Gateway.Service.Operations;
using Gateway.Service.Outbox;
using Gateway.Service.Oversight;
using Gateway.Service.Peering;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using Gateway.Service.Retention;
using Gateway.Service.Telemetry;
using Gateway.Service.Upgrade;
using Microsoft.Extensions.Configuration.Memory;

namespace Gateway.Service.Hosting;

/// <summary>
/// Composes one gateway node from its features, in the order data flows through them. Each feature registers itself
/// (<c>AddXxx</c>) and maps its own endpoints; this class only lists them. Tests and the demo change what they need on
/// the builder <see cref="CreateBuilder"/> returns before <see cref="BuildAsync(WebApplicationBuilder, CancellationToken)"/>.
/// </summary>
public static class GatewayHost
{
    /// <param name="settings">Settings made in code, beneath appsettings.json and the environment; none when the configuration holds them all.</param>
    public static WebApplicationBuilder CreateBuilder(GatewayNodeOptions? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(GatewayHost).Assembly.GetName().Name });

        // Defaults below every other configuration source: HttpClient's four lines per request to a peer (start, send,
        // receive, end) cost CPU at every delivery and say nothing the delivery log line does not.
        var defaults = new Dictionary<string, string?> { ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning" };
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = settings is null ? defaults : defaults.Concat(settings.ToConfiguration()) });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);

        builder.Services
            .AddNode()
            .AddPersistence()
            .AddAudit()
            .AddAccess(builder.Configuration)
            .AddKeys()
            .AddCases()
            .AddDisclosure()
            .AddConsent()
            .AddReferrals()
            .AddOutbox(builder.Configuration)
            .AddDelivery()
            .AddErasure()
            .AddPeering()
            .AddInbox()
            .AddRetention()
            .AddCasework()
            .AddUpgrade()
            .AddOperations()
            .AddTelemetry();
        builder.Services.AddOpenApi(openApi => openApi.ShouldInclude = description => description.RelativePath?.StartsWith("peer/", StringComparison.Ordinal) != true);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        return builder;
    }

    /// <summary>Builds the node: loads its identity (a wrong setting stops it here, named), brings its database up to date, maps every feature's endpoints.</summary>
    public static async Task<WebApplication> BuildAsync(WebApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        try
        {
            var identity = app.Services.GetRequiredService<NodeIdentity>();
            await app.Services.GetRequiredService<Database>().InitializeAsync(cancellationToken);
            await app.Services.GetRequiredService<CaseKeys>().InitializeAsync(cancellationToken);
            await app.Services.UpgradeAsync(cancellationToken);
            app.MapPeerApiV1(identity.PeerPort);

            // A request Kestrel cannot read is the caller's fault: its own status (400, 408, 413), never a 500.
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            });
            app.UseStatusCodePages();
            app.UseNoStore();
            app.UseAuthentication();
            app.UseAuthorization();
            var internalPort = identity.InternalPort;
            app.MapAccessApiV1(internalPort);
            app.MapCasesApiV1(internalPort);
            app.MapConsentsApiV1(internalPort);
            app.MapReferralsApiV1(internalPort);
            app.MapSentMessageApiV1(internalPort);
            app.MapErasureApiV1(internalPort);
            app.MapInboxApiV1(internalPort);
            app.MapCaseViewApiV1(internalPort);
            app.MapOversightApiV1(internalPort);
            app.MapOpsApiV1(internalPort);
            app.MapHealthApi(internalPort);
            app.MapTelemetry(internalPort);
            app.MapOpenApi().RequireListener(internalPort).RequireAuthorization(InternalRoles.AnyRole);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary><see cref="CreateBuilder"/> and <see cref="BuildAsync(WebApplicationBuilder, CancellationToken)"/> with nothing changed in between.</summary>
    public static Task<WebApplication> BuildAsync(GatewayNodeOptions settings, CancellationToken cancellationToken = default) =>
        BuildAsync(CreateBuilder(settings), cancellationToken);
}
