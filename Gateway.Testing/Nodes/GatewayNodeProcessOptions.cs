namespace Gateway.Testing.Nodes;

/// <summary>How a <see cref="GatewayNodeProcess"/> runs: the command line, the environment, and where its output goes.</summary>
public sealed record GatewayNodeProcessOptions
{
    /// <summary>Which process this is (<c>EE-SKA</c>, <c>EE-SKA-b</c>, ...): in messages and the log files' names.</summary>
    public required string Name { get; init; }

    /// <summary>The node it serves: its caseworker certificate asks <c>/health/ready</c>.</summary>
    public required string NodeId { get; init; }

    /// <summary>The development PKI folder the node runs from.</summary>
    public required string Pki { get; init; }

    /// <summary>The node's internal listener on localhost, where readiness is asked.</summary>
    public required int InternalPort { get; init; }

    /// <summary>The command line after <c>gateway</c> (<c>run --pki ... --node ...</c>).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Variables to set; a null value removes the variable from the process's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Where each incarnation's log goes, as <c>NAME-N.log</c>.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>Who runs the node, in the lines the log gets besides the node's own (<c>---- test: started pid ...</c>).</summary>
    public string RunBy { get; init; } = "test";

    /// <summary>
    /// True: every line reaches the file at once (evidence a test reads while the node runs). False: buffered, for a
    /// load test in which the node's logging is part of what is measured; the file is flushed before it is read.
    /// </summary>
    public bool FlushEachLine { get; init; } = true;
}
