namespace Gateway.Service.Referrals;

public sealed record ComposeResult(ComposedMessage? Message, ComposeRefusal? Refusal)
{
    public static implicit operator ComposeResult(ComposeRefusal refusal) => new(null, refusal);

    public static implicit operator ComposeResult(ComposedMessage message) => new(message, null);
}
