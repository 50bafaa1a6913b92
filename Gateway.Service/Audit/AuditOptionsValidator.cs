using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Audit;

internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var problems = new OptionsProblems(AuditOptions.Section);
        problems.Positive(options.AuditCheckpointInterval, nameof(options.AuditCheckpointInterval));
        return problems.Result();
    }
}
