using Gateway.Bench.Machine;
using Gateway.Bench.Reporting;
using Gateway.Contracts.Receipts;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Receipts;

namespace Gateway.Bench.Crypto;

/// <summary>
/// <c>crypto</c>: seal, open, receipt sign and receipt verify per second through the project's real APIs, for EC and
/// RSA recipients and three payload sizes, then <c>openssl speed</c> for the same primitives in the same run, the
/// primitives alone (where the time goes), and peak memory of 1 MiB against 4 KiB.
/// </summary>
internal static class CryptoBenchmark
{
    public static readonly int[] PayloadSizes = [4 * 1024, 64 * 1024, 1024 * 1024];

    private static readonly string[] Operations = ["seal", "open", "receipt-sign", "receipt-verify"];

    public static Task<int> RunAsync(BenchArguments arguments, CancellationToken cancellationToken)
    {
        arguments.RejectUnknown("seconds", "out");
        var seconds = arguments.Int("seconds", 2);
        var folder = ResultsFolder.From(arguments);
        var startedAt = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Describe();
        Console.WriteLine($"crypto: {machine.CpuModel}, {machine.LogicalCpus} CPUs, load {machine.LoadAverageAtStart}; {seconds} s per measurement");

        var pkis = new Dictionary<EncryptionKeyKind, string>
        {
            [EncryptionKeyKind.Ec] = CryptoFederation.WriteNew(EncryptionKeyKind.Ec),
            [EncryptionKeyKind.Rsa] = CryptoFederation.WriteNew(EncryptionKeyKind.Rsa),
        };
        try
        {
            // Every operation once through first, so that tiered compilation has settled (BouncyCastle's EC code, the CMS
            // parsers) before anything is timed: otherwise the first measurements pay for the JIT's background thread.
            Console.WriteLine("  warming up every operation");
            foreach (var (kind, pki) in pkis)
            {
                using var federation = new CryptoFederation(pki, kind);
                foreach (var size in PayloadSizes)
                {
                    foreach (var operation in Operations)
                    {
                        Throughput.WarmUp(Operation(federation, operation, size).Action, TimeSpan.FromMilliseconds(400), cancellationToken);
                    }
                }
            }

            Thread.Sleep(TimeSpan.FromSeconds(2));
            var measured = new List<(string Kind, string Operation, int Size, int EnvelopeBytes, Measurement Measurement)>();
            foreach (var (kind, pki) in pkis)
            {
                using var federation = new CryptoFederation(pki, kind);
                foreach (var size in PayloadSizes)
                {
                    foreach (var operation in Operations)
                    {
                        var (action, envelopeBytes) = Operation(federation, operation, size);
                        var measurement = Throughput.MeasureQuietly(action, TimeSpan.FromSeconds(seconds), cancellationToken);
                        cancellationToken.ThrowIfCancellationRequested();
                        measured.Add((kind.ToString(), operation, size, envelopeBytes, measurement));
                        Console.WriteLine($"  gateway {kind,-3} {operation,-15} {size,8} B  {measurement.PerSecond,10:N1}/s  {measurement.CpuMicroseconds,10:N1} µs CPU/op  (other load {measurement.OtherCpuCores:0.00} cores)");
                    }
                }
            }

            Console.WriteLine("openssl speed (same primitives, one thread):");
            var openssl = OpenSslSpeed.Run(seconds, PayloadSizes, cancellationToken);
            Console.WriteLine($"  ECDH P-256 {openssl.EcdhP256PerSecond:N0}/s, ECDSA P-256 sign {openssl.EcdsaP256SignPerSecond:N0}/s verify {openssl.EcdsaP256VerifyPerSecond:N0}/s, "
                + $"RSA-3072 private {openssl.Rsa3072PrivatePerSecond:N0}/s public {openssl.Rsa3072PublicPerSecond:N0}/s");

            var gateway = measured.Select(entry =>
            {
                var (model, full) = CostModel.Microseconds(openssl, entry.Kind, entry.Operation, entry.Size, entry.EnvelopeBytes);
                return new GatewayOperationResult
                {
                    Kind = entry.Kind,
                    Operation = entry.Operation,
                    PayloadBytes = entry.Size,
                    EnvelopeBytes = entry.EnvelopeBytes,
                    Operations = entry.Measurement.Operations,
                    WallSeconds = entry.Measurement.WallSeconds,
                    CpuSeconds = entry.Measurement.CpuSeconds,
                    PerSecond = entry.Measurement.PerSecond,
                    WallMicroseconds = entry.Measurement.WallMicroseconds,
                    MicrosecondsPerOperation = entry.Measurement.CpuMicroseconds,
                    OtherCpuCores = entry.Measurement.OtherCpuCores,
                    AllocatedBytesPerOperation = entry.Measurement.AllocatedBytesPerOperation,
                    OpenSslModelMicroseconds = model,
                    OpenSslFullModelMicroseconds = full,
                };
            }).ToList();

            Console.WriteLine("primitives alone (where the time goes):");
            IReadOnlyList<ComponentResult> components;
            using (var ec = new CryptoFederation(pkis[EncryptionKeyKind.Ec], EncryptionKeyKind.Ec))
            {
                components = ComponentCosts.Measure(ec, PayloadSizes, TimeSpan.FromSeconds(Math.Max(1, seconds / 2.0)), cancellationToken);
            }

            Console.WriteLine("peak memory, seal+open in a child process (server GC, as a node runs):");
            var memory = new List<MemoryProbeResult>();
            foreach (var parallelism in new[] { 1, 8 })
            {
                foreach (var size in new[] { 4 * 1024, 1024 * 1024 })
                {
                    var probe = MemoryProbe.Measure(pkis[EncryptionKeyKind.Ec], EncryptionKeyKind.Ec, size, parallelism, iterations: 40, cancellationToken);
                    memory.Add(probe);
                    Console.WriteLine($"  {size,8} B x{parallelism}: peak RSS {probe.PeakRssKib / 1024.0:N1} MiB (after warm-up {probe.BaselinePeakRssKib / 1024.0:N1} MiB)");
                }
            }

            var results = new CryptoResults
            {
                StartedAt = startedAt,
                Machine = machine,
                LoadAverageAtEnd = MachineInfo.LoadAverage(),
                SecondsPerMeasurement = seconds,
                Gateway = gateway,
                OpenSsl = openssl,
                Components = components,
                Memory = memory,
            };
            var (json, markdown) = folder.Write("crypto", startedAt, results, CryptoReport.Markdown(results));
            Console.WriteLine();
            Console.WriteLine(CryptoReport.Markdown(results));
            Console.WriteLine($"written: {json}\n         {markdown}");
            return Task.FromResult(0);
        }
        finally
        {
            foreach (var pki in pkis.Values)
            {
                TryDelete(pki);
            }
        }
    }

    /// <summary>The action to time, and the size of the envelope it works on.</summary>
    private static (Action Action, int EnvelopeBytes) Operation(CryptoFederation federation, string operation, int payloadBytes)
    {
        var payload = SyntheticPayload.Consultation(payloadBytes);
        var envelope = federation.Sealer.Seal(payload, federation.SenderSigning, federation.RecipientCertificate);
        var receipt = new Receipt
        {
            MessageId = payload.Header.MessageId,
            EnvelopeSha256 = ReceiptSigner.EnvelopeDigest(envelope),
            ReceivedAt = DateTimeOffset.UtcNow,
            Receiver = CryptoFederation.Receiver,
            Sender = CryptoFederation.Sender,
            Status = ReceiptStatus.Accepted,
        };
        var signedReceipt = federation.ReceiptSigner.Sign(receipt, federation.ReceiverSigning);

        // Prove each operation works before timing it: a benchmark of a failing path measures nothing.
        _ = federation.Opener.Open(envelope);
        _ = federation.ReceiptVerifier.Verify(signedReceipt, CryptoFederation.Receiver, payload.Header.MessageId, envelope);

        Action action = operation switch
        {
            "seal" => () => federation.Sealer.Seal(payload, federation.SenderSigning, federation.RecipientCertificate),
            "open" => () => federation.Opener.Open(envelope),

            // The receiver digests the envelope it stored, then signs.
            "receipt-sign" => () => federation.ReceiptSigner.Sign(receipt with { EnvelopeSha256 = ReceiptSigner.EnvelopeDigest(envelope) }, federation.ReceiverSigning),
            "receipt-verify" => () => federation.ReceiptVerifier.Verify(signedReceipt, CryptoFederation.Receiver, payload.Header.MessageId, envelope),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
        };
        return (action, envelope.Length);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder of public dev certificates and throwaway keys.
        }
    }
}
