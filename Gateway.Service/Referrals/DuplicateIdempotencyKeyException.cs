namespace Gateway.Service.Referrals;

/// <summary>Another request already stored a message under this Idempotency-Key.</summary>
public sealed class DuplicateIdempotencyKeyException(string key, Exception inner)
    : Exception($"a message was already accepted with this Idempotency-Key ({key.Length} characters)", inner);
