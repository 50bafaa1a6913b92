using Microsoft.Extensions.Options;

namespace Gateway.Service.Disclosure;

/// <summary>The profiles, agreements and legal obligations must make a policy (<see cref="DisclosurePolicy"/> checks them), or the node does not start.</summary>
internal sealed class DisclosureOptionsValidator : IValidateOptions<DisclosureOptions>
{
    public ValidateOptionsResult Validate(string? name, DisclosureOptions options)
    {
        try
        {
            _ = new DisclosurePolicy(options);
            return ValidateOptionsResult.Success;
        }
        catch (DisclosureConfigurationException exception)
        {
            return ValidateOptionsResult.Fail($"The gateway configuration is not valid: {exception.Message}");
        }
    }
}
