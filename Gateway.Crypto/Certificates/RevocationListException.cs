namespace Gateway.Crypto.Certificates;

/// <summary>A CRL file this node cannot use; the message names the file and the problem, never its content.</summary>
public sealed class RevocationListException(string file, string problem)
    : Exception($"{file} {problem}")
{
    public string File { get; } = file;

    /// <summary>What is wrong, without the file's name.</summary>
    public string Problem { get; } = problem;
}
