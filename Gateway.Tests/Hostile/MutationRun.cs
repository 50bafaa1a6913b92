using System.Collections.Concurrent;

namespace Gateway.Tests.Hostile;

/// <summary>What a batch of mutations got back: how often each status and code, and every answer that broke the rules.</summary>
internal sealed class MutationRun
{
    public ConcurrentDictionary<string, int> Answers { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(EnvelopeMutation Mutation, string Problem)> Failures { get; } = new();

    public void Count(string answer) => Answers.AddOrUpdate(answer, 1, (_, count) => count + 1);

    public string Distribution() =>
        string.Join(Environment.NewLine, Answers.OrderByDescending(pair => pair.Value).Select(pair => $"  {pair.Value,6}  {pair.Key}"));
}
