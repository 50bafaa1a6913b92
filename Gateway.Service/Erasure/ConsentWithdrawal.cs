using Gateway.Service.Referrals;

namespace Gateway.Service.Erasure;

/// <summary>What a withdrawal did: the messages it cancelled, and who already holds data under the consent.</summary>
public sealed record ConsentWithdrawal(IReadOnlyList<Guid> Cancelled, IReadOnlyList<DataHolder> Holders);
