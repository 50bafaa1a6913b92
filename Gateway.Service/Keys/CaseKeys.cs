using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gateway.Service.Persistence;

namespace Gateway.Service.Keys;

/// <summary>
/// The data key of each case (DESIGN §15): made when the case first keeps content, stored wrapped by the node's
/// key-encryption key, and destroyed when the case is erased — together with the key-encryption key of that epoch, so
/// that no copy of the wrapped data key made before (a backup, the WAL, a dead tuple) can be unwrapped again.
/// Unwrapped keys are remembered in memory for the current epoch only; every erasure starts a new one.
/// </summary>
public sealed class CaseKeys
{
    /// <summary>Taken exclusively by an erasure (it re-wraps every key), shared by anyone making a key.</summary>
    private const long EpochLock = 7466225;

    private const int RememberedKeys = 4096;

    private readonly Database _database;
    private readonly KeyEncryptionKeyFile _file;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly ConcurrentDictionary<string, DataKey> _byCase = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, DataKey> _byId = new();
    private volatile KeyEncryptionKey? _current;

    internal CaseKeys(Database database, KeyEncryptionKeyFile file, TimeProvider time)
    {
        _database = database;
        _file = file;
        _time = time;
    }

    /// <summary>The key-encryption key's epoch as this process last saw it.</summary>
    public long Epoch => _current?.Epoch ?? 0;

    /// <summary>At start: the epoch the database holds, and its key from the file; a new node writes both.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await _database.BeginAsync(cancellationToken);
        await transaction.LockAsync(EpochLock, cancellationToken);
        var epoch = await ReadEpochAsync(transaction, cancellationToken);
        if (epoch is null)
        {
            var first = _file.Exists ? await _file.LoadCurrentAsync(cancellationToken) : await _file.CreateAsync(cancellationToken);
            await transaction.ExecuteAsync("INSERT INTO key_epoch (id, epoch) VALUES (1, @epoch)", cancellationToken, ("epoch", first.Epoch));
            await transaction.CommitAsync(cancellationToken);
            _current = first;
            return;
        }

        await transaction.CommitAsync(cancellationToken);
        _current = await LoadAsync(epoch.Value, cancellationToken);
    }

    /// <summary>The case's live data key: the remembered one while no erasure happened since, else read, else made.</summary>
    public async Task<DataKey> ForCaseAsync(string caseId, CancellationToken cancellationToken)
    {
        var epoch = Convert.ToInt64(await _database.ScalarAsync("SELECT epoch FROM key_epoch WHERE id = 1", cancellationToken));
        if (_byCase.TryGetValue(caseId, out var remembered) && remembered.Epoch == epoch)
        {
            return remembered;
        }

        await using var transaction = await _database.BeginAsync(cancellationToken);
        await transaction.LockSharedAsync(EpochLock, cancellationToken);
        epoch = (await ReadEpochAsync(transaction, cancellationToken))!.Value;
        var kek = await KeyOfEpochAsync(epoch, cancellationToken);
        var live = await transaction.QueryAsync(
            "SELECT key_id, wrapped FROM case_keys WHERE case_id = @case AND wrapped IS NOT NULL ORDER BY created_at DESC LIMIT 1",
            reader => (Id: Guid.Parse(reader.GetString(0)), Wrapped: (byte[])reader.GetValue(1)), cancellationToken, ("case", caseId));
        DataKey key;
        if (live.Count == 1)
        {
            key = new DataKey(live[0].Id, caseId, kek.Unwrap(live[0].Wrapped, live[0].Id, caseId), epoch);
        }
        else
        {
            key = await InsertAsync(transaction, caseId, kek, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        Remember(key);
        return key;
    }

    /// <summary>Seals <paramref name="plaintext"/> under the case's live data key.</summary>
    public async Task<byte[]> SealAsync(string caseId, ReadOnlyMemory<byte> plaintext, string purpose, Guid about, CancellationToken cancellationToken) =>
        SealedContent.Seal(await ForCaseAsync(caseId, cancellationToken), plaintext.Span, purpose, about);

    /// <summary>The plaintext, or null when its data key was destroyed (the case was erased).</summary>
    public async Task<byte[]?> OpenAsync(byte[] sealedContent, string purpose, Guid about, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sealedContent);
        var keyId = SealedContent.KeyIdOf(sealedContent) ?? throw new CryptographicException("not sealed content");
        if (!_byId.TryGetValue(keyId, out var key) || key.Epoch != Epoch)
        {
            var rows = await _database.QueryAsync("SELECT case_id, wrapped, kek_epoch FROM case_keys WHERE key_id = @id",
                reader => (CaseId: reader.GetString(0), Wrapped: reader.NullableBytes(1), Epoch: reader.GetInt64(2)), cancellationToken, ("id", keyId.ToString()));
            if (rows.Count == 0 || rows[0].Wrapped is null)
            {
                return null;
            }

            var kek = await KeyOfEpochAsync(rows[0].Epoch, cancellationToken);
            key = new DataKey(keyId, rows[0].CaseId, kek.Unwrap(rows[0].Wrapped, keyId, rows[0].CaseId), rows[0].Epoch);
            Remember(key);
        }

        return SealedContent.Open(key.Key, sealedContent, purpose, about);
    }

    /// <summary>
    /// Erases cases: destroys their data keys and the key-encryption key of this epoch, in one transaction that also
    /// holds the caller's writes (<paramref name="alsoWrite"/>: the content columns emptied, the confirmation stored —
    /// which may seal under a new key of an erased case through <see cref="ErasureScope.NewKeyAsync"/>). Every other live
    /// data key is re-wrapped under the next key-encryption key. When this returns, the old key is gone from the file,
    /// and (SQLite) the WAL was checkpointed and truncated.
    /// </summary>
    public async Task EraseAsync(IReadOnlyCollection<string> caseIds, Func<ErasureScope, Task> alsoWrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caseIds);
        ArgumentNullException.ThrowIfNull(alsoWrite);
        KeyEncryptionKey next;
        KeyEncryptionKey previous;
        await using (var transaction = await _database.BeginAsync(cancellationToken))
        {
            await transaction.LockAsync(EpochLock, cancellationToken);
            var epoch = (await ReadEpochAsync(transaction, cancellationToken))!.Value;
            previous = await KeyOfEpochAsync(epoch, cancellationToken);
            next = KeyEncryptionKey.New(epoch + 1);
            await _file.WriteNextAsync(next, cancellationToken);
            try
            {
                var now = SqlStatement.Ms(_time.GetUtcNow());
                await transaction.ExecuteAllAsync([.. caseIds.Select(caseId => new SqlStatement(
                    "UPDATE case_keys SET wrapped = NULL, destroyed_at = @now WHERE case_id = @case AND wrapped IS NOT NULL", ("now", now), ("case", caseId)))], cancellationToken);
                var live = await transaction.QueryAsync("SELECT key_id, case_id, wrapped FROM case_keys WHERE wrapped IS NOT NULL",
                    reader => (Id: Guid.Parse(reader.GetString(0)), CaseId: reader.GetString(1), Wrapped: (byte[])reader.GetValue(2)), cancellationToken);
                await transaction.ExecuteAllAsync([.. live.Select(row =>
                {
                    var dataKey = previous.Unwrap(row.Wrapped, row.Id, row.CaseId);
                    var rewrapped = next.Wrap(dataKey, row.Id, row.CaseId);
                    CryptographicOperations.ZeroMemory(dataKey);
                    return new SqlStatement("UPDATE case_keys SET wrapped = @wrapped, kek_epoch = @epoch WHERE key_id = @id",
                        ("wrapped", rewrapped), ("epoch", next.Epoch), ("id", row.Id.ToString()));
                }), new SqlStatement("UPDATE key_epoch SET epoch = @epoch WHERE id = 1", ("epoch", next.Epoch))], cancellationToken);
                await alsoWrite(new ErasureScope(transaction, caseId => InsertAsync(transaction, caseId, next, cancellationToken)));
                await transaction.CommitAsync(cancellationToken);
            }
            catch
            {
                await _file.AbandonNextAsync(CancellationToken.None);
                throw;
            }
        }

        // Committed: the database is at the next epoch. The old key goes now; a crash before this is mended at the next start.
        await _file.CompleteAsync(CancellationToken.None);
        _current = next;
        previous.Forget();
        _byCase.Clear();
        _byId.Clear();
        await _database.CompactAfterErasureAsync(cancellationToken);
    }

    private static async Task<long?> ReadEpochAsync(StoreTransaction transaction, CancellationToken cancellationToken) =>
        await transaction.ScalarAsync("SELECT epoch FROM key_epoch WHERE id = 1", cancellationToken) is { } value and not DBNull ? Convert.ToInt64(value) : null;

    private async Task<DataKey> InsertAsync(StoreTransaction transaction, string caseId, KeyEncryptionKey kek, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7(_time.GetUtcNow());
        var material = RandomNumberGenerator.GetBytes(32);
        await transaction.ExecuteAsync(
            "INSERT INTO case_keys (key_id, case_id, wrapped, kek_epoch, created_at) VALUES (@id, @case, @wrapped, @epoch, @now)",
            cancellationToken, ("id", id.ToString()), ("case", caseId), ("wrapped", kek.Wrap(material, id, caseId)), ("epoch", kek.Epoch), ("now", SqlStatement.Ms(_time.GetUtcNow())));
        return new DataKey(id, caseId, material, kek.Epoch);
    }

    /// <summary>The key-encryption key of <paramref name="epoch"/>: the current one, or read again (another replica rotated).</summary>
    private async Task<KeyEncryptionKey> KeyOfEpochAsync(long epoch, CancellationToken cancellationToken)
    {
        if (_current is { } current && current.Epoch == epoch)
        {
            return current;
        }

        return _current = await LoadAsync(epoch, cancellationToken);
    }

    private async Task<KeyEncryptionKey> LoadAsync(long epoch, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            return _current is { } current && current.Epoch == epoch ? current : await _file.LoadAsync(epoch, cancellationToken);
        }
        finally
        {
            _loading.Release();
        }
    }

    private void Remember(DataKey key)
    {
        if (_byId.Count >= RememberedKeys)
        {
            _byId.Clear();
            _byCase.Clear();
        }

        _byId[key.Id] = key;
        _byCase[key.CaseId] = key;
    }
}
