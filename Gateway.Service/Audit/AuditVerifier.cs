using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto;
using Gateway.Crypto.Evidence;

namespace Gateway.Service.Audit;

/// <summary>
/// Walks the audit chain from the first line: numbering without gaps, each line's previous hash equal to the line
/// before's hash, each hash recomputed from the fields; then every checkpoint's signature (the node's signing
/// certificate) and that it names the hash the chain has at that line. Reports the first line that fails.
/// </summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(AuditStore store, string nodeId, X509Certificate2 signingCertificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var hashes = new Dictionary<long, string>();
        long expected = 1;
        var previous = AuditChain.Genesis;
        while (true)
        {
            var page = await store.ListAsync(null, afterSequence: expected - 1, max: 1000, cancellationToken);
            foreach (var entry in page)
            {
                if (entry.Sequence != expected)
                {
                    return new AuditVerification(expected - 1, 0, expected, $"entry {expected} is missing (the next entry is {entry.Sequence})");
                }

                if (entry.PreviousHash != previous)
                {
                    return new AuditVerification(expected - 1, 0, entry.Sequence, $"entry {entry.Sequence} does not follow entry {entry.Sequence - 1} (previous hash differs)");
                }

                if (AuditChain.HashOf(entry) != entry.Hash)
                {
                    return new AuditVerification(expected - 1, 0, entry.Sequence, $"entry {entry.Sequence} was changed after it was written (its hash does not match its content)");
                }

                hashes[entry.Sequence] = entry.Hash;
                previous = entry.Hash;
                expected++;
            }

            if (page.Count < 1000)
            {
                break;
            }
        }

        var checkpoints = await store.ListCheckpointsAsync(cancellationToken);
        foreach (var checkpoint in checkpoints)
        {
            byte[] content;
            try
            {
                content = EvidenceSignature.Verify(checkpoint.Signature, signingCertificate);
            }
            catch (EnvelopeException exception)
            {
                return new AuditVerification(expected - 1, checkpoints.Count, checkpoint.Sequence, $"the checkpoint at entry {checkpoint.Sequence} has no valid signature of this node ({exception.Code})");
            }

            if (!content.AsSpan().SequenceEqual(AuditChain.CheckpointContent(nodeId, checkpoint.Sequence, checkpoint.Hash, checkpoint.At)))
            {
                return new AuditVerification(expected - 1, checkpoints.Count, checkpoint.Sequence, $"the checkpoint at entry {checkpoint.Sequence} was changed after it was signed");
            }

            if (!hashes.TryGetValue(checkpoint.Sequence, out var hash) || hash != checkpoint.Hash)
            {
                return new AuditVerification(expected - 1, checkpoints.Count, checkpoint.Sequence,
                    $"entry {checkpoint.Sequence} differs from what the signed checkpoint recorded: the chain was rewritten up to there");
            }
        }

        return new AuditVerification(expected - 1, checkpoints.Count, null, null);
    }
}
