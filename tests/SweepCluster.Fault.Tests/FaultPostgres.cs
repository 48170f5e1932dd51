namespace SweepCluster.Fault.Tests;

/// <summary>The PostgreSQL server the fault tests share: started once, on loopback, stopped by PID at the end.</summary>
public sealed class FaultPostgres : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Creates an empty database for one test; returns its <c>postgres://</c> URL as the CLI takes it.</summary>
    public static async Task<string> CreateStoreAsync(PostgresServer server, string host, string name)
    {
        ArgumentNullException.ThrowIfNull(server);
        var database = $"{name.Replace('-', '_')}_{Guid.NewGuid().ToString("N")[..8]}";
        await server.CreateDatabaseAsync(database);
        return $"postgres://postgres@{host}:{server.Port}/{database}";
    }
}
