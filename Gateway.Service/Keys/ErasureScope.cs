using Gateway.Service.Persistence;

namespace Gateway.Service.Keys;

/// <summary>The transaction of an erasure (<see cref="CaseKeys.EraseAsync"/>), and new data keys under the next key-encryption key for what is stored with it.</summary>
public sealed class ErasureScope(StoreTransaction transaction, Func<string, Task<DataKey>> newKey)
{
    public StoreTransaction Transaction { get; } = transaction;

    /// <summary>A new data key for an erased case, for what the erasure itself stores there (a confirmation carries nothing of the person).</summary>
    public Task<DataKey> NewKeyAsync(string caseId) => newKey(caseId);
}
