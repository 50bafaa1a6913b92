namespace Gateway.Service.Operations;

/// <summary>What an operator action did: the resulting state and how many messages it touched.</summary>
public sealed record OperatorActionAnswer(string Result, int Messages);
