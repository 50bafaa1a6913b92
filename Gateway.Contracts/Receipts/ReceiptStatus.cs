namespace Gateway.Contracts.Receipts;

public enum ReceiptStatus
{
    /// <summary>Verified, decrypted, validated and durably stored.</summary>
    Accepted,
}
