using Gateway.Service.Persistence;
using Npgsql;

namespace Gateway.Tests.Persistence;

/// <summary>The store prepares its statements and skips the pool's session reset unless the connection string says otherwise.</summary>
[Trait("Category", "Store")]
public sealed class PostgresConnectionTuningTests
{
    [Fact]
    public void A_connection_string_without_either_setting_gets_automatic_preparation_and_no_reset_on_close()
    {
        var tuned = new NpgsqlConnectionStringBuilder(StoreDialect.TunedForPostgres("Host=db.internal;Database=gateway;Username=gateway"));

        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.Equal(2, tuned.AutoPrepareMinUsages);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("db.internal", tuned.Host);
        Assert.Equal("gateway", tuned.Database);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;maxautoprepare=0;noresetonclose=false")]
    public void Settings_given_in_the_connection_string_are_kept_even_when_they_turn_the_tuning_off(string connectionString)
    {
        var tuned = new NpgsqlConnectionStringBuilder(StoreDialect.TunedForPostgres(connectionString));

        Assert.Equal(0, tuned.MaxAutoPrepare);
        Assert.False(tuned.NoResetOnClose);
    }
}
