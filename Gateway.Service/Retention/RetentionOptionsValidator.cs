using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Retention;

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var problems = new OptionsProblems(RetentionOptions.Section);
        problems.Check(options.InboundContent >= TimeSpan.Zero, nameof(options.InboundContent), "must not be negative");
        problems.Check(options.OutboundContent >= TimeSpan.Zero, nameof(options.OutboundContent), "must not be negative");
        problems.Positive(options.SweepInterval, nameof(options.SweepInterval));
        return problems.Result();
    }
}
