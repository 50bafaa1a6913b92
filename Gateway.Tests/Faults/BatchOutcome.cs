namespace Gateway.Tests.Faults;

/// <summary>What the caseworker's client saw: the message id each idempotency key was accepted under, and how long it took.</summary>
internal sealed record BatchOutcome(IReadOnlyDictionary<string, Guid> Accepted, TimeSpan AcceptDuration, int ClientRetries);
