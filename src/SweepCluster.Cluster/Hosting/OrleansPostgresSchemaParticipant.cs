namespace SweepCluster.Cluster.Hosting;

/// <summary>Applies <see cref="OrleansPostgresSchema"/> at the very start of a silo's lifecycle, before clustering, storage or reminders read their tables.</summary>
internal sealed class OrleansPostgresSchemaParticipant(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OrleansPostgresSchemaParticipant), ServiceLifecycleStage.First, cancellationToken => OrleansPostgresSchema.ApplyAsync(connectionString, cancellationToken));
}
