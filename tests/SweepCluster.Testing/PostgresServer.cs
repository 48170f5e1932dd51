using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SweepCluster.Testing;

/// <summary>
/// A real PostgreSQL server on loopback for the tests and benchmarks: <c>initdb</c> into a temporary directory,
/// <c>pg_ctl start</c> on a free port with its socket in that directory, stopped by PID.
/// </summary>
/// <remarks>
/// When the tests run as root, the server runs as the <c>postgres</c> OS user (PostgreSQL refuses to
/// run as root). fsync is off: the tests check transactions and restarts, not disk durability, and the
/// machine is shared.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _binDirectory;
    private readonly string _root;
    private readonly bool _asPostgresUser;
    private readonly string _listenAddresses;

    private PostgresServer(string binDirectory, string root, int port, bool asPostgresUser, string listenAddresses)
    {
        _binDirectory = binDirectory;
        _root = root;
        Port = port;
        _asPostgresUser = asPostgresUser;
        _listenAddresses = listenAddresses;
    }

    public int Port { get; }

    public bool IsRunning { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>Creates a cluster in a fresh temporary directory and starts it on loopback.</summary>
    public static Task<PostgresServer> StartNewAsync() => StartNewAsync(extraAddress: null, trustedNetwork: null);

    /// <summary>
    /// Creates a cluster in a fresh temporary directory and starts it on loopback and also on
    /// <paramref name="extraAddress"/> (a test network's host side), trusting clients from <paramref name="trustedNetwork"/> (CIDR).
    /// </summary>
    public static async Task<PostgresServer> StartNewAsync(string? extraAddress, string? trustedNetwork)
    {
        var bin = FindBinDirectory();
        var root = Path.Combine(Path.GetTempPath(), "sweepcluster-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var asPostgresUser = Environment.UserName == "root";
        var listen = extraAddress is null ? "127.0.0.1" : $"127.0.0.1,{extraAddress}";
        var server = new PostgresServer(bin, root, FreePort(), asPostgresUser, listen);
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", root], asPostgresUser: false);
            }

            await server.RunToolAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"]);
            if (trustedNetwork is not null)
            {
                // initdb trusts loopback only; clients on the test network connect from its other side.
                await File.AppendAllTextAsync(Path.Combine(server.DataDirectory, "pg_hba.conf"), $"host all all {trustedNetwork} trust\n");
            }

            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) on its port and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var options = $"-p {Port} -k {_root} -c listen_addresses={_listenAddresses} -c fsync=off -c max_connections=200";
        await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        IsRunning = true;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < StartTimeout)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>
    /// <c>pg_ctl restart -m fast</c>: every client connection is cut, the server comes back on the
    /// same port and data directory, and this waits until it accepts connections again.
    /// </summary>
    public async Task RestartAsync()
    {
        var options = $"-p {Port} -k {_root} -c listen_addresses={_listenAddresses} -c fsync=off -c max_connections=200";
        await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-o", options, "-m", "fast", "-w", "-t", "60", "restart"]);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < StartTimeout)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Stops the server: <c>pg_ctl stop -m fast</c>, then the postmaster's PID if it is still alive.</summary>
    public async Task StopAsync()
    {
        var pid = ReadPostmasterPid();
        if (pid is null)
        {
            IsRunning = false;
            return;
        }

        try
        {
            await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Killed by PID below.
        }

        KillIfAlive(pid.Value);
        IsRunning = false;
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=15";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Drops a database, disconnecting whoever is still on it.</summary>
    public async Task DropDatabaseAsync(string name)
    {
        if (!IsRunning)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
    }

    /// <summary>
    /// Where <c>initdb</c> and <c>pg_ctl</c> are: <c>$SWEEPCLUSTER_PG_BIN</c> when it holds them, else the newest
    /// <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>.
    /// </summary>
    public static bool TryFindBinDirectory([NotNullWhen(true)] out string? directory)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SWEEPCLUSTER_PG_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "pg_ctl")))
        {
            directory = fromEnvironment;
            return true;
        }

        directory = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return directory is not null;
    }

    private static string FindBinDirectory() =>
        TryFindBinDirectory(out var directory) ? directory : throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/<version>/bin or $SWEEPCLUSTER_PG_BIN. " +
            "These integration tests start a real PostgreSQL server: run the project's setup, which installs it " +
            "(as root: apt-get install -y postgresql; CI does the same), then run the tests again.");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private int? ReadPostmasterPid()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        using var reader = new StreamReader(new FileStream(pidFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return int.TryParse(reader.ReadLine(), out var pid) ? pid : null;
    }

    private static void KillIfAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited between the checks.
        }
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments) =>
        RunAsync(Path.Combine(_binDirectory, tool), arguments, _asPostgresUser);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgresUser)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asPostgresUser)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
