using System.Net;
using System.Net.Sockets;

namespace SweepCluster.Telemetry.Tests;

internal static class FreePort
{
    /// <summary>A loopback port the OS reports free now (another process could still take it before use).</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
