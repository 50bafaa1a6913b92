namespace Gateway.Crypto;

/// <summary>
/// An envelope, receipt or certificate was refused. <see cref="Code"/> is one of <see cref="EnvelopeErrorCodes"/>;
/// the message describes structure only, never content.
/// </summary>
public sealed class EnvelopeException : Exception
{
    public EnvelopeException(string code, string message)
        : base(message) => Code = code;

    public EnvelopeException(string code, string message, Exception innerException)
        : base(message, innerException) => Code = code;

    public string Code { get; }

    public override string ToString() => $"{Code}: {Message}";
}
