using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Outbox;

internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        var problems = new OptionsProblems(OutboxOptions.Section);
        problems.Positive(options.OutboxLease, nameof(options.OutboxLease));
        problems.Positive(options.BrokerSendTimeout, nameof(options.BrokerSendTimeout));
        problems.Positive(options.RelayRetryDelay, nameof(options.RelayRetryDelay));
        problems.Positive(options.RelayPollInterval, nameof(options.RelayPollInterval));
        return problems.Result();
    }
}
