using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Crypto.Certificates;
using Gateway.Service.Node;
using Gateway.Service.Referrals;

namespace Gateway.Service.Telemetry;

/// <summary>
/// The node's OpenTelemetry instruments (DESIGN §10), scraped by Prometheus at /metrics: deliveries by peer and
/// outcome, accept→receipt latency, queue depth and the oldest undelivered message per peer, circuit state, days to
/// certificate expiry, time left before a stale CRL refuses its issuer's certificates. Tags are peer ids, states, roles and CA names:
/// never a message id, never content.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "ReferralGateway";

    /// <summary>Spans around delivery attempts (MassTransit and ASP.NET Core add their own).</summary>
    public static readonly ActivitySource Activities = new(MeterName);

    private readonly Meter _meter;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _latency;
    private readonly ConcurrentDictionary<string, int> _circuits = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<PeerQueueSummary> _queues = [];
    private volatile IReadOnlyList<BrokerQueueView> _brokerQueues = [];
    private DateTimeOffset _queuesAt;

    public GatewayMetrics(IMeterFactory meters, NodeIdentity identity, TimeProvider time, GatewayMeterName name, CrlStore crls)
    {
        ArgumentNullException.ThrowIfNull(crls);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(name);
        _meter = meters.Create(name.Value);
        _deliveries = _meter.CreateCounter<long>("gateway_deliveries", description: "Delivery attempts that ended, by peer and outcome");
        _latency = _meter.CreateHistogram<double>("gateway_delivery_latency", unit: "s", description: "From acceptance by the caseworker API to a verified receipt",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600] });
        _meter.CreateObservableGauge("gateway_queue_messages", () => _queues.SelectMany(Measurements), description: "Sent messages by peer and state, not yet settled");
        _meter.CreateObservableGauge("gateway_oldest_undelivered_age", () => _queues
            .Where(queue => queue.OldestUndeliveredAt is not null)
            .Select(queue => new Measurement<double>((_queuesAt - queue.OldestUndeliveredAt!.Value).TotalSeconds, new KeyValuePair<string, object?>("peer", queue.PeerId))),
            unit: "s", description: "Age of the oldest message not yet delivered, per peer");
        _meter.CreateObservableGauge("gateway_broker_queue_messages", () => _brokerQueues.Select(queue =>
            new Measurement<long>(queue.Messages, new KeyValuePair<string, object?>("queue", queue.Queue))),
            description: "Messages waiting in each of this node's RabbitMQ delivery queues");
        _meter.CreateObservableGauge("gateway_broker_queue_consumers", () => _brokerQueues.Select(queue =>
            new Measurement<long>(queue.Consumers, new KeyValuePair<string, object?>("queue", queue.Queue))),
            description: "Consumers attached to each of this node's RabbitMQ delivery queues");
        _meter.CreateObservableGauge("gateway_circuit_state", () => identity.Peers.Peers.Select(peer =>
            new Measurement<int>(_circuits.GetValueOrDefault(peer.Id), new KeyValuePair<string, object?>("peer", peer.Id))),
            description: "Circuit breaker per peer: 0 closed, 1 half-open, 2 open");
        _meter.CreateObservableGauge("gateway_certificate_days_left", () => Certificates(identity, time.GetUtcNow()),
            unit: "d", description: "Days until each certificate expires: this node's and every peer's, by role");
        _meter.CreateObservableGauge("gateway_crl_time_to_refusal", () => crls.NewestPerIssuer().Select(crl =>
            new Measurement<double>(Math.Round((crls.RefusedFrom(crl) - time.GetUtcNow()).TotalSeconds), new KeyValuePair<string, object?>("issuer", crl.Issuer))),
            unit: "s", description: "Until each CRL issuer's certificates are refused for want of a current CRL (nextUpdate plus the grace period); negative once they are");
    }

    public void RecordAttempt(string peerId, DeliveryState outcome) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("peer", peerId), new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void RecordDelivered(string peerId, TimeSpan sinceAccepted) =>
        _latency.Record(sinceAccepted.TotalSeconds, new KeyValuePair<string, object?>("peer", peerId));

    public void CircuitOpened(string peerId) => _circuits[peerId] = 2;

    public void CircuitHalfOpened(string peerId) => _circuits[peerId] = 1;

    public void CircuitClosed(string peerId) => _circuits[peerId] = 0;

    public int CircuitState(string peerId) => _circuits.GetValueOrDefault(peerId);

    /// <summary>The queue snapshot the gauges report (refreshed by <see cref="QueueSnapshotJob"/>, so a scrape never waits for the database).</summary>
    public void UpdateQueues(IReadOnlyList<PeerQueueSummary> queues, DateTimeOffset at)
    {
        _queuesAt = at;
        _queues = queues;
    }

    /// <summary>The last reading of the broker's queues (empty on the in-memory transport).</summary>
    public IReadOnlyList<BrokerQueueView> BrokerQueues => _brokerQueues;

    public void UpdateBrokerQueues(IReadOnlyList<BrokerQueueView> queues) => _brokerQueues = queues;

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> Measurements(PeerQueueSummary queue)
    {
        var peer = new KeyValuePair<string, object?>("peer", queue.PeerId);
        yield return new(queue.Queued, peer, new("state", nameof(DeliveryState.Queued)));
        yield return new(queue.InFlight, peer, new("state", nameof(DeliveryState.InFlight)));
        yield return new(queue.RetryWaiting, peer, new("state", nameof(DeliveryState.RetryWaiting)));
        yield return new(queue.Suspended, peer, new("state", nameof(DeliveryState.Suspended)));
        yield return new(queue.Failed, peer, new("state", nameof(DeliveryState.Failed)));
    }

    private static IEnumerable<Measurement<double>> Certificates(NodeIdentity identity, DateTimeOffset now)
    {
        static Measurement<double> Days(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string owner, string role, DateTimeOffset now) =>
            new(Math.Round((certificate.NotAfter.ToUniversalTime() - now.UtcDateTime).TotalDays, 2),
                new KeyValuePair<string, object?>("owner", owner), new KeyValuePair<string, object?>("role", role),
                new KeyValuePair<string, object?>("serial", certificate.SerialNumber));

        yield return Days(identity.Tls, "self", "tls", now);
        yield return Days(identity.Signing.Certificate, "self", "signing", now);
        yield return Days(identity.Decryption.Certificate, "self", "encryption", now);
        yield return Days(identity.InternalTls, "self", "internal-tls", now);
        foreach (var peer in identity.Peers.Peers)
        {
            foreach (var certificate in peer.Tls)
            {
                yield return Days(certificate, peer.Id, "tls", now);
            }

            foreach (var certificate in peer.Signing)
            {
                yield return Days(certificate, peer.Id, "signing", now);
            }

            foreach (var certificate in peer.Encryption)
            {
                yield return Days(certificate, peer.Id, "encryption", now);
            }
        }
    }
}
