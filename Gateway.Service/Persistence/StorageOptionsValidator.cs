using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Persistence;

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var problems = new OptionsProblems(StorageOptions.Section);
        problems.Require(options.ConnectionString, nameof(options.ConnectionString));
        problems.Check(Enum.IsDefined(options.Provider), "Storage", "must be Sqlite or Postgres");
        return problems.Result();
    }
}
