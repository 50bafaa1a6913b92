using Gateway.Service.Referrals;

namespace Gateway.Service.Operations;

/// <summary>What became of an operator's retry or cancel: done, no such message, or not in a state that allows it.</summary>
public sealed record OperatorActionResult(bool Succeeded, bool Exists, DeliveryState? State)
{
    public static OperatorActionResult Done { get; } = new(true, true, null);

    public static OperatorActionResult NotFound { get; } = new(false, false, null);

    public static OperatorActionResult NotAllowedIn(DeliveryState state) => new(false, true, state);
}
