using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Silos;
using SweepCluster.Silo.Processes;

namespace SweepCluster.Silo;

/// <summary>Makes a silo a trainer silo: it publishes its slots and labels and runs the attempts placed on it.</summary>
public static class SweepClusterRunner
{
    /// <remarks>The slots are published by the hosting set-up (<see cref="Describe"/> passed as its silo), not here.</remarks>
    public static ISiloBuilder AddSweepClusterRunner(this ISiloBuilder silo, SiloOptions options, ITrialProcessLauncher launcher)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(launcher);
        silo.Services.AddSingleton(sp => new SlotRunner(options, sp.GetRequiredService<IGrainFactory>(), launcher,
            () => sp.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString(), sp.GetService<TimeProvider>()));
        silo.Services.AddSingleton<ITrialDecisionSink>(sp => sp.GetRequiredService<SlotRunner>());
        silo.Services.AddHostedService<RunnerShutdown>();
        return silo;
    }

    /// <summary>The silo as placement sees it (its id is replaced by its Orleans address when read back).</summary>
    public static SiloInfo Describe(SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SiloInfo(options.SiloId, options.SiloId, options.Labels,
            [.. options.Slots.Select(s => new SlotInfo(s.Id, s.GpuIndex, s.GpuName, s.GpuMemoryGiB))]);
    }

    /// <summary>Stops the attempts before the silo leaves the cluster, so their failures still reach their trials.</summary>
    private sealed class RunnerShutdown(SlotRunner runner) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => runner.ShutdownAsync().WaitAsync(cancellationToken);
    }
}
