using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Outbox;

internal sealed class BusOptionsValidator : IValidateOptions<BusOptions>
{
    public ValidateOptionsResult Validate(string? name, BusOptions options)
    {
        var problems = new OptionsProblems(BusOptions.Section);
        problems.Check(!options.UsesRabbitMq || Uri.TryCreate(options.RabbitMqUri, UriKind.Absolute, out _), nameof(options.RabbitMqUri), "is not an absolute URI");
        problems.Require(options.QueuePrefix, nameof(options.QueuePrefix));
        for (var i = 0; i < options.RabbitMqClusterNodes.Count; i++)
        {
            problems.Require(options.RabbitMqClusterNodes[i], $"{nameof(options.RabbitMqClusterNodes)}:{i}");
        }

        return problems.Result();
    }
}
