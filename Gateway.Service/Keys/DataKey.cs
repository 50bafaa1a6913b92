namespace Gateway.Service.Keys;

/// <summary>A case's data key, unwrapped: what content of that case is sealed with until the case is erased.</summary>
public sealed record DataKey(Guid Id, string CaseId, byte[] Key, long Epoch);
