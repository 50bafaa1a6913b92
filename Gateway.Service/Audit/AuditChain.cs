using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Service.Audit;

/// <summary>How a line's hash is made: SHA-256 over a JSON array of every field and the previous line's hash.</summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first line.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string HashOf(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            entry.Sequence, entry.At.ToUnixTimeMilliseconds(), entry.Actor, entry.Action, entry.MessageId?.ToString(),
            entry.PeerId, entry.ConversationId, entry.Detail, entry.PreviousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>What a checkpoint signs.</summary>
    public static byte[] CheckpointContent(string nodeId, long sequence, string hash, DateTimeOffset at) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { node = nodeId, seq = sequence, hash, at = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) }));
}
