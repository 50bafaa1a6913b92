using System.Net;
using System.Security.Authentication;
using System.Text.Json.Serialization;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Envelopes;
using Gateway.Crypto.Receipts;
using Gateway.Service.Access;
using Gateway.Service.Audit;
using Gateway.Service.Consent;
using Gateway.Service.Delivery;
using Gateway.Service.Disclosure;
using Gateway.Service.Inbox;
using Gateway.Service.Operations;
using Gateway.Service.Operations.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Gateway.Service.Retention;
using Gateway.Service.Outbox;
using Gateway.Service.Peering;
using Gateway.Service.Persistence;
using Gateway.Service.Referrals;
using MassTransit;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace Gateway.Service.Hosting;

/// <summary>
/// Composes one gateway node: the mutual-TLS peer listener, the internal listener, the store, the outbox relay
/// and the delivery consumer on MassTransit (RabbitMQ, or in-memory when no broker is configured).
/// </summary>
public static class GatewayHost
{
    public static async Task<WebApplication> BuildAsync(
        GatewayNodeOptions options, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default, Action<IServiceCollection>? replaceServices = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        GatewayNodeOptionsValidator.ThrowIfInvalid(options);
        var identity = NodeIdentity.Load(options);
        var peerPort = options.PeerPort != 0 ? options.PeerPort : identity.Peers.Self.PeerPort;
        var internalPort = options.InternalPort != 0 ? options.InternalPort : identity.Peers.Self.InternalPort;
        var validator = new CertificateValidator(TimeProvider.System, new CrlStore(options.CrlFiles.Select(ReadCrl)));

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(GatewayHost).Assembly.GetName().Name });

        // Defaults below every other configuration source: HttpClient's four lines per request to a peer (start,
        // send, receive, end) cost CPU at every delivery and say nothing the delivery log line does not.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning" },
        });
        builder.Logging.ClearProviders();
        if (configureLogging is null)
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        }
        else
        {
            configureLogging(builder.Logging);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxEnvelopeBytes;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(10));
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            var address = IPAddress.Parse(options.BindAddress);
            kestrel.Listen(address, peerPort, listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = identity.Tls;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.CheckCertificateRevocation = false;

                // The handshake admits certificates of any partner's trust anchor; which peer it is (pin), and
                // whether that is acceptable, is decided per request with a problem code the partner can read.
                https.ClientCertificateValidation = (certificate, _, _) =>
                    identity.Peers.Peers.Any(peer => validator.ChainsTo(certificate, peer.TrustAnchor));
            }));
            kestrel.Listen(address, internalPort, listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = identity.InternalTls;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

                // Health probes come without a certificate; every /api and /ops endpoint requires one with a role,
                // judged per request (InternalAccess) so the caller gets a problem code rather than a reset.
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.CheckCertificateRevocation = false;
                https.ClientCertificateValidation = (_, _, _) => true;
            }));
        });

        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(identity);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(validator);
        services.AddSingleton(new GatewayStore(options.Storage, options.ConnectionString));
        services.AddSingleton<EnvelopeSealer>();
        services.AddSingleton<ReceiptSigner>();
        services.AddSingleton<InboundEnvelopeReceiver>();
        services.AddSingleton(new DisclosurePolicy(options.Disclosure));
        services.AddSingleton<PayloadValidator>();
        services.AddSingleton<ConsentGate>();
        services.AddSingleton<LegalBasisRecheck>();
        services.AddSingleton<InboundContentCheck>();
        services.AddSingleton(ContentProtector.LoadOrCreate(options.ContentKeyFile));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditCheckpointJob>();
        services.AddHostedService(provider => provider.GetRequiredService<AuditCheckpointJob>());
        services.AddSingleton<ReferralComposer>();
        services.AddSingleton<ReferralSender>();
        services.AddSingleton<WithdrawalCoordinator>();
        services.AddSingleton<InboxSignal>();
        services.AddHostedService<InboxProcessor>();
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(provider => provider.GetRequiredService<RetentionJob>());
        services.AddInternalAccess(identity);
        services.AddOpenApi(openApi => openApi.ShouldInclude = description => description.RelativePath?.StartsWith("peer/", StringComparison.Ordinal) != true);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton(new RetrySchedule(new Random()));
        services.AddSingleton<PeerClient>();
        services.AddSingleton<PeerDelivery>();
        services.AddHostedService<OutboxRelay>();
        // Every error answer is problem+json with a stable code, also those the framework writes (unreadable JSON,
        // unknown route, unhandled exception), which carry no detail that could echo a request's content.
        services.AddProblemDetails(problem => problem.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("code", context.ProblemDetails.Status switch
            {
                400 => "REQUEST_INVALID",
                404 => "NOT_FOUND",
                405 => "METHOD_NOT_ALLOWED",
                413 => "TOO_LARGE",
                415 => "UNSUPPORTED_MEDIA_TYPE",
                >= 500 => "INTERNAL_ERROR",
                var status => $"HTTP_{status}",
            }));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Routing.MatcherPolicy, ListenerRouting.ListenerMatcherPolicy>());
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        var meterName = GatewayMeterName.ForNewHost();
        services.AddSingleton(meterName);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<BrokerQueueProbe>();
        services.AddHostedService<QueueSnapshotJob>();
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(meterName.Value).AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(GatewayMetrics.MeterName, "MassTransit")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
        AddPeerClients(services, identity, validator, options.Delivery);
        AddBus(services, options, identity);
        replaceServices?.Invoke(services);

        var app = builder.Build();
        await app.Services.GetRequiredService<GatewayStore>().InitializeAsync(cancellationToken);
        app.MapPeerApiV1(peerPort);
        // A request Kestrel cannot read is the caller's fault: its own status (400, 408, 413), never a 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapReferralsApiV1(internalPort);
        app.MapConsentsApiV1(internalPort);
        app.MapInboxApiV1(internalPort);
        app.MapOpsApiV1(internalPort);
        app.MapOpenApi().RequireListener(internalPort).RequireAuthorization(InternalRoles.AnyRole);
        var health = app.MapGroup("/health").RequireListener(internalPort);
        health.MapGet("/live", () => Results.Ok(new { status = "live" }));
        health.MapGet("/ready", ReadinessAsync);
        app.MapPrometheusScrapingEndpoint("/metrics").RequireListener(internalPort).RequireAuthorization(InternalRoles.OperatorOrAuditor);
        return app;
    }

    /// <summary>A CRL file as DER, whether it was saved as DER or PEM.</summary>
    private static byte[] ReadCrl(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        return System.Security.Cryptography.PemEncoding.TryFind(text, out var pem) ? Convert.FromBase64String(text[pem.Base64Data]) : bytes;
    }

    /// <summary>Ready when the database answers, the bus is connected and this node's own certificates are valid now (DESIGN §10).</summary>
    private static async Task<IResult> ReadinessAsync(GatewayStore store, IBusControl bus, NodeIdentity identity, TimeProvider time, CancellationToken cancellationToken)
    {
        string database;
        try
        {
            await store.CountInboundAsync(cancellationToken);
            database = "ok";
        }
        catch (System.Data.Common.DbException)
        {
            database = "unavailable";
        }

        var broker = bus.CheckHealth().Status == BusHealthStatus.Healthy ? "ok" : "unavailable";
        var now = time.GetUtcNow().UtcDateTime;
        var certificates = new[] { identity.Tls, identity.Signing.Certificate, identity.Decryption.Certificate, identity.InternalTls }
            .All(certificate => certificate.NotBefore.ToUniversalTime() <= now && now <= certificate.NotAfter.ToUniversalTime()) ? "ok" : "expired";
        var ready = database == "ok" && broker == "ok" && certificates == "ok";
        var body = new { status = ready ? "ready" : "not ready", node = identity.NodeId, checks = new { database, broker, certificates } };
        return ready ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>One HttpClient per peer: its own connection pool, TLS pinning and circuit breaker (DESIGN §8.3).</summary>
    private static void AddPeerClients(IServiceCollection services, NodeIdentity identity, CertificateValidator validator, DeliveryOptions delivery)
    {
        foreach (var peer in identity.Peers.Peers)
        {
            services.AddHttpClient(PeerClient.ClientName(peer.Id), client =>
                {
                    client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns the timeout
                    client.MaxResponseContentBufferSize = 1024 * 1024;
                })
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    SslOptions =
                    {
                        ClientCertificates = [identity.Tls],
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,

                        // The server must present the TLS certificate this peer registered (pin) under its trust
                        // anchor; the host name is not what identifies a partner here, the pin is.
                        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                            certificate is not null && IsPeerTlsCertificate(identity, validator, peer.Id, new(certificate)),
                    },
                })
                .AddResilienceHandler("peer", (pipeline, context) =>
                {
                    var policy = delivery.For(peer.Id);
                    var metrics = context.ServiceProvider.GetRequiredService<GatewayMetrics>();
                    pipeline.AddTimeout(policy.AttemptTimeout);
                    pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = policy.CircuitBreaker.FailureRatio,
                        MinimumThroughput = policy.CircuitBreaker.MinimumThroughput,
                        SamplingDuration = policy.CircuitBreaker.SamplingDuration,
                        BreakDuration = policy.CircuitBreaker.BreakDuration,
                        OnOpened = _ =>
                        {
                            metrics.CircuitOpened(peer.Id);
                            return ValueTask.CompletedTask;
                        },
                        OnHalfOpened = _ =>
                        {
                            metrics.CircuitHalfOpened(peer.Id);
                            return ValueTask.CompletedTask;
                        },
                        OnClosed = _ =>
                        {
                            metrics.CircuitClosed(peer.Id);
                            return ValueTask.CompletedTask;
                        },
                    });
                });
        }
    }

    private static bool IsPeerTlsCertificate(NodeIdentity identity, CertificateValidator validator, string peerId, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        try
        {
            return identity.Peers.Authenticate(certificate, CertificateRole.Tls, validator).Peer.Id == peerId;
        }
        catch (Crypto.EnvelopeException)
        {
            return false;
        }
    }

    private static void AddBus(IServiceCollection services, GatewayNodeOptions options, NodeIdentity identity)
    {
        // One queue per peer with its own consumer limit, and one for messages whose peer left the registry.
        var queues = identity.Peers.Peers
            .Select(peer => (Name: DeliveryQueue.Name(options, peer.Id), options.Delivery.For(peer.Id).Concurrency))
            .Append((Name: DeliveryQueue.Name(options), Concurrency: 1))
            .ToList();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<PeerDeliveryConsumer>();
            if (string.IsNullOrEmpty(options.RabbitMqUri))
            {
                bus.UsingInMemory((context, transport) =>
                {
                    foreach (var (name, concurrency) in queues)
                    {
                        transport.ReceiveEndpoint(name, endpoint =>
                        {
                            endpoint.ConcurrentMessageLimit = concurrency;
                            endpoint.UseMessageRetry(retry => retry.Interval(5, TimeSpan.FromSeconds(1)));
                            endpoint.ConfigureConsumer<PeerDeliveryConsumer>(context);
                        });
                    }
                });
            }
            else
            {
                bus.UsingRabbitMq((context, transport) =>
                {
                    transport.Host(new Uri(options.RabbitMqUri), host =>
                    {
                        if (options.RabbitMqClusterNodes.Count > 0)
                        {
                            host.UseCluster(cluster =>
                            {
                                foreach (var node in options.RabbitMqClusterNodes)
                                {
                                    cluster.Node(node);
                                }
                            });
                        }
                    });
                    foreach (var (name, concurrency) in queues)
                    {
                        transport.ReceiveEndpoint(name, endpoint =>
                        {
                            endpoint.SetQuorumQueue();
                            endpoint.ConfigureConsumeTopology = false; // sent to directly; never bound to a shared exchange
                            endpoint.PrefetchCount = concurrency * 2;
                            endpoint.ConcurrentMessageLimit = concurrency;
                            endpoint.UseMessageRetry(retry => retry.Interval(5, TimeSpan.FromSeconds(1)));
                            endpoint.ConfigureConsumer<PeerDeliveryConsumer>(context);
                        });
                    }
                });
            }
        });
        services.Configure<MassTransitHostOptions>(host =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromSeconds(60);
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
    }
}
