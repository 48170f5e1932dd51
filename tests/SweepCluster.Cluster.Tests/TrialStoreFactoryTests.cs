using System.Net.Sockets;
using Npgsql;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class TrialStoreFactoryTests
{
    [Theory]
    [InlineData("sqlite:.sweepcluster/store.db", ".sweepcluster/store.db")]
    [InlineData("sqlite:///var/lib/sweepcluster/store.db", "/var/lib/sweepcluster/store.db")]
    [InlineData("SQLITE:store.db", "store.db")]
    [InlineData("/tmp/plain/path.db", "/tmp/plain/path.db")]
    [InlineData("relative.db", "relative.db")]
    public void Sqlite_forms_name_the_file(string store, string path)
    {
        Assert.Equal(new TrialStoreLocation(TrialStoreKind.Sqlite, path), TrialStoreFactory.Parse(store));
    }

    [Fact]
    public void Postgres_url_becomes_an_npgsql_connection_string()
    {
        var location = TrialStoreFactory.Parse("postgres://sweep:p%40ss@db.example:6543/cluster?sslmode=require");

        Assert.Equal(TrialStoreKind.Postgres, location.Kind);
        var builder = new NpgsqlConnectionStringBuilder(location.Target);
        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("sweep", builder.Username);
        Assert.Equal("p@ss", builder.Password);
        Assert.Equal("cluster", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.DoesNotContain("p@ss", location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_url_without_port_or_password_keeps_npgsql_defaults()
    {
        var builder = new NpgsqlConnectionStringBuilder(TrialStoreFactory.Parse("postgresql://sweep@db/cluster").Target);

        Assert.Equal("db", builder.Host);
        Assert.Equal(5432, builder.Port);
        Assert.Equal("sweep", builder.Username);
        Assert.Null(builder.Password);
    }

    [Theory]
    [InlineData("Host=db;Database=cluster;Username=sweep")]
    [InlineData("host=db; database=cluster")]
    [InlineData("Server=db;Database=cluster")]
    public void Npgsql_keyword_strings_are_postgres(string store)
    {
        var location = TrialStoreFactory.Parse(store);

        Assert.Equal(TrialStoreKind.Postgres, location.Kind);
        Assert.Equal("db", new NpgsqlConnectionStringBuilder(location.Target).Host);
    }

    [Theory]
    [InlineData("sqlite:")]
    [InlineData("postgres://")]
    [InlineData("postgres://db/cluster?nosuchoption=1")]
    public void Malformed_stores_are_rejected_with_a_message(string store)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => TrialStoreFactory.Parse(store));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Redacting_hides_the_password_of_both_forms()
    {
        Assert.Equal("postgres://sweep:***@db:5432/cluster", PostgresConnectionString.Redact("postgres://sweep:secret@db:5432/cluster"));
        Assert.DoesNotContain("secret", PostgresConnectionString.Redact("Host=db;Password=secret"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_a_sqlite_path_gives_a_migrated_sqlite_store()
    {
        var directory = Path.Combine(Path.GetTempPath(), "sweepcluster-factory-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var store = await TrialStoreFactory.OpenAsync("sqlite:" + Path.Combine(directory, "s.db"), new FakeTimeProvider(), CancellationToken.None))
            {
                Assert.Equal(TrialStoreKind.Sqlite, Assert.IsType<SqlTrialStore>(store).Kind);
                Assert.Equal(SchemaMigrator.LoadScripts("Sqlite").Select(s => s.Version), (await store.GetAppliedMigrationsAsync(CancellationToken.None)).Select(m => m.Version));
            }

            Assert.True(File.Exists(Path.Combine(directory, "s.db")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("57P01", true)]
    [InlineData("57P03", true)]
    [InlineData("08006", true)]
    [InlineData("40001", true)]
    [InlineData("40P01", true)]
    [InlineData("23505", false)]
    [InlineData("42P01", false)]
    [InlineData("22021", false)]
    public void Server_errors_are_transient_only_when_a_retry_can_help(string sqlState, bool transient)
    {
        var error = new PostgresException("message", "FATAL", "FATAL", sqlState);

        Assert.Equal(transient, PostgresTransientErrors.IsTransient(error));
    }

    [Fact]
    public void Refused_connections_are_transient_and_cancellation_is_not()
    {
        var refused = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(PostgresTransientErrors.IsTransient(refused));
        Assert.True(PostgresTransientErrors.IsConnectionFailure(refused));
        Assert.False(PostgresTransientErrors.IsTransient(new OperationCanceledException()));
        Assert.False(PostgresTransientErrors.IsTransient(new InvalidOperationException("bug")));
    }
}
