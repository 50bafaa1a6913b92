using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Cases;

internal sealed class CasesOptionsValidator : IValidateOptions<CasesOptions>
{
    public ValidateOptionsResult Validate(string? name, CasesOptions options)
    {
        var problems = new OptionsProblems(CasesOptions.Section);
        problems.Check(options.BreakGlassDuration > TimeSpan.Zero && options.BreakGlassDuration <= TimeSpan.FromDays(7), nameof(options.BreakGlassDuration), "must be positive and at most 7 days");
        problems.Check(options.BreakGlassNoteMinimumLength is >= 1 and <= 500, nameof(options.BreakGlassNoteMinimumLength), "must be between 1 and 500");
        return problems.Result();
    }
}
