using System.Diagnostics;
using SweepCluster.Silo.Processes;

namespace SweepCluster.Silo.Tests;

[Trait("Category", "Integration")]
public sealed class ChildProcessTests
{
    [Fact]
    public async Task Its_id_stays_readable_after_it_is_disposed()
    {
        // A progress view may read a slot's child id while the attempt is ending and disposing it.
        var child = ChildProcess.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "exit 0" } });
        var id = child.Id;

        Assert.Equal(0, await child.WaitForExitAsync(CancellationToken.None));
        await child.DisposeAsync();

        Assert.Equal(id, child.Id);
        child.Kill();
    }
}
