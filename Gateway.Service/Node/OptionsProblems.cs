using Microsoft.Extensions.Options;

namespace Gateway.Service.Node;

/// <summary>What an options validator found, each problem naming its setting as configuration spells it (<c>Gateway:Delivery:Jitter</c>).</summary>
public sealed class OptionsProblems(string section)
{
    private readonly List<string> _problems = [];

    public void Check(bool valid, string setting, string problem)
    {
        if (!valid)
        {
            _problems.Add($"{section}:{setting} {problem}");
        }
    }

    public void Require(string? value, string setting) => Check(!string.IsNullOrWhiteSpace(value), setting, "is required");

    public void RequireFile(string? value, string setting)
    {
        Require(value, setting);
        if (!string.IsNullOrWhiteSpace(value) && !File.Exists(value))
        {
            _problems.Add($"{section}:{setting}: file {value} does not exist");
        }
    }

    public void Positive(TimeSpan value, string setting) => Check(value > TimeSpan.Zero, setting, "must be positive");

    public ValidateOptionsResult Result() => _problems.Count == 0
        ? ValidateOptionsResult.Success
        : ValidateOptionsResult.Fail(_problems.Select(problem => $"The gateway configuration is not valid: {problem}"));
}
