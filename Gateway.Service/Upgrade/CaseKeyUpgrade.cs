using System.Security.Cryptography;
using System.Text;
using Gateway.Service.Access;
using Gateway.Service.Cases;
using Gateway.Service.Keys;
using Gateway.Service.Node;
using Gateway.Service.Persistence;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Upgrade;

/// <summary>
/// Brings a database written by the release before people, cases and per-case keys (schema 3) up to date, once, at
/// start (DESIGN §15): every conversation becomes a case of the intake unit, every consent belongs to a case, and every
/// piece of content kept — the copy of what was sent (under the old node-wide content key), the envelopes as sealed
/// and as received, VitalInterests justifications — is sealed under its case's data key. The old content key is then
/// overwritten and deleted, and (SQLite) the WAL truncated, so an erasure afterwards is as final as for new data.
/// </summary>
internal sealed partial class CaseKeyUpgrade(
    Database database, CaseKeys keys, PeopleDirectory people, IOptions<NodeOptions> node, TimeProvider time, ILogger<CaseKeyUpgrade> logger)
{
    private const string Name = "case-keys-4";
    private const int Batch = 200;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Convert.ToInt32(await database.ScalarAsync("SELECT COUNT(*) FROM data_upgrades WHERE name = @name", cancellationToken, ("name", Name))) > 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        await OpenCasesAsync(now, cancellationToken);
        var legacyKey = LegacyContentKey();
        var sealedOut = await SealOutboundAsync(legacyKey, cancellationToken);
        var sealedIn = await SealInboundAsync(cancellationToken);
        await database.ExecuteAsync("INSERT INTO data_upgrades (name, completed_at) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING",
            cancellationToken, ("name", Name), ("now", SqlStatement.Ms(now)));
        await database.CompactAfterErasureAsync(cancellationToken);
        if (legacyKey is not null)
        {
            DestroyLegacyContentKey(node.Value.ContentKeyFile);
        }

        LogUpgraded(logger, sealedOut, sealedIn);
    }

    /// <summary>Every conversation a case of the intake unit; every consent in the case of the messages sent under it, or a case of its own.</summary>
    private async Task OpenCasesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginAsync(cancellationToken);
        var intake = people.IntakeUnit;
        await transaction.ExecuteAsync("""
            INSERT INTO cases (case_id, unit_id, opened_at, opened_by, origin_peer)
            SELECT conversation_id, @intake, MIN(created_at), 'upgrade', NULL FROM outbound_messages o
            WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.case_id = o.conversation_id) GROUP BY conversation_id
            """, cancellationToken, ("intake", intake));
        await transaction.ExecuteAsync("""
            INSERT INTO cases (case_id, unit_id, opened_at, opened_by, origin_peer)
            SELECT conversation_id, @intake, MIN(received_at), MIN(sender_id), MIN(sender_id) FROM inbound_messages i
            WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.case_id = i.conversation_id) GROUP BY conversation_id
            """, cancellationToken, ("intake", intake));
        await transaction.ExecuteAsync("""
            UPDATE consents SET case_id = (SELECT MIN(o.conversation_id) FROM outbound_messages o WHERE o.consent_id = consents.consent_id)
            WHERE case_id IS NULL AND EXISTS (SELECT 1 FROM outbound_messages o WHERE o.consent_id = consents.consent_id)
            """, cancellationToken);
        var unused = await transaction.QueryAsync("SELECT consent_id, recorded_at, recorded_by FROM consents WHERE case_id IS NULL",
            reader => (Id: Guid.Parse(reader.GetString(0)), At: reader.GetInt64(1), By: reader.GetString(2)), cancellationToken);
        await transaction.ExecuteAllAsync([.. unused.SelectMany(consent => new[]
        {
            new SqlStatement("INSERT INTO cases (case_id, unit_id, opened_at, opened_by) VALUES (@case, @intake, @at, 'upgrade') ON CONFLICT (case_id) DO NOTHING",
                ("case", consent.Id.ToString("N")), ("intake", intake), ("at", consent.At)),
            new SqlStatement("UPDATE consents SET case_id = @case WHERE consent_id = @id", ("case", consent.Id.ToString("N")), ("id", consent.Id.ToString())),
        })], cancellationToken);
        await transaction.ExecuteAsync("""
            UPDATE cases SET subject_ref = (SELECT MIN(subject_ref) FROM consents WHERE consents.case_id = cases.case_id)
            WHERE subject_ref IS NULL AND EXISTS (SELECT 1 FROM consents WHERE consents.case_id = cases.case_id)
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<int> SealOutboundAsync(byte[]? legacyKey, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var rows = await database.QueryAsync(
                "SELECT message_id, conversation_id, envelope, content, legal_basis, justification FROM outbound_messages WHERE sealed = 0 ORDER BY message_id LIMIT @max",
                reader => (Id: Guid.Parse(reader.GetString(0)), CaseId: reader.GetString(1), Envelope: reader.NullableBytes(2), Content: reader.NullableBytes(3),
                    Basis: reader.NullableString(4), Justification: reader.NullableString(5)),
                cancellationToken, ("max", Batch));
            if (rows.Count == 0)
            {
                return total;
            }

            var statements = new List<SqlStatement>(rows.Count);
            foreach (var row in rows)
            {
                var key = await keys.ForCaseAsync(row.CaseId, cancellationToken);
                var content = row.Content is null || legacyKey is null ? null : LegacyOpen(legacyKey, row.Content, row.Id);
                var vital = row.Basis == "VitalInterests" && row.Justification is not null;
                statements.Add(new SqlStatement("""
                    UPDATE outbound_messages SET envelope = @envelope, content = @content, justification = @justification,
                        justification_sealed = @justificationSealed, justification_sha256 = @justificationHash, sealed = 1
                    WHERE message_id = @id
                    """,
                    ("envelope", row.Envelope is null ? null : SealedContent.Seal(key, row.Envelope, SealedPurpose.SentEnvelope, row.Id)),
                    ("content", content is null ? null : SealedContent.Seal(key, content, SealedPurpose.SentContent, row.Id)),
                    ("justification", vital ? null : row.Justification),
                    ("justificationSealed", vital ? SealedContent.Seal(key, Encoding.UTF8.GetBytes(row.Justification!), SealedPurpose.Justification, row.Id) : null),
                    ("justificationHash", vital ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(row.Justification!))) : null),
                    ("id", row.Id.ToString())));
            }

            await database.ExecuteInTransactionAsync(statements, cancellationToken);
            total += rows.Count;
        }
    }

    private async Task<int> SealInboundAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var rows = await database.QueryAsync(
                "SELECT message_id, conversation_id, envelope FROM inbound_messages WHERE sealed = 0 ORDER BY message_id LIMIT @max",
                reader => (Id: Guid.Parse(reader.GetString(0)), CaseId: reader.GetString(1), Envelope: reader.NullableBytes(2)),
                cancellationToken, ("max", Batch));
            if (rows.Count == 0)
            {
                return total;
            }

            var statements = new List<SqlStatement>(rows.Count);
            foreach (var row in rows)
            {
                var sealedEnvelope = row.Envelope is null
                    ? null
                    : SealedContent.Seal(await keys.ForCaseAsync(row.CaseId, cancellationToken), row.Envelope, SealedPurpose.ReceivedEnvelope, row.Id);
                statements.Add(new SqlStatement("UPDATE inbound_messages SET envelope = @envelope, sealed = 1 WHERE message_id = @id",
                    ("envelope", sealedEnvelope), ("id", row.Id.ToString())));
            }

            await database.ExecuteInTransactionAsync(statements, cancellationToken);
            total += rows.Count;
        }
    }

    /// <summary>The old node-wide content key, when the node still has one: what sealed the copies of what it sent.</summary>
    private byte[]? LegacyContentKey()
    {
        var path = node.Value.ContentKeyFile;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return null;
        }

        var key = File.ReadAllBytes(path);
        return key.Length == 32 ? key : throw new InvalidOperationException($"{path}: a content key file holds exactly 32 bytes");
    }

    /// <summary>The old format: nonce (12) | tag (16) | ciphertext, AES-256-GCM, the message id as associated data.</summary>
    private static byte[] LegacyOpen(byte[] key, byte[] protectedContent, Guid messageId)
    {
        var plaintext = new byte[protectedContent.Length - 28];
        using var gcm = new AesGcm(key, 16);
        gcm.Decrypt(protectedContent.AsSpan(0, 12), protectedContent.AsSpan(28), protectedContent.AsSpan(12, 16), plaintext, messageId.ToByteArray());
        return plaintext;
    }

    private static void DestroyLegacyContentKey(string path)
    {
        using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Write, Options = FileOptions.WriteThrough }))
        {
            stream.Write(RandomNumberGenerator.GetBytes((int)stream.Length));
            stream.Flush(flushToDisk: true);
        }

        File.Delete(path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upgrade: content of {Sent} sent and {Received} received messages sealed under case keys; the old content key is gone")]
    private static partial void LogUpgraded(ILogger logger, int sent, int received);
}
