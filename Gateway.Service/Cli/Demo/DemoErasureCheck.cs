namespace Gateway.Service.Cli.Demo;

/// <summary>After erasure was confirmed: what <c>GET /api/v1/inbox/{referral}</c> answered on the recipient (410 expected).</summary>
internal sealed record DemoErasureCheck(string Peer, Guid ReferralId, int Status)
{
    public bool Erased => Status == StatusCodes.Status410Gone;
}
