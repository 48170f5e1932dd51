namespace SweepCluster.Cluster.Store;

/// <summary>Where a store lives, as parsed from the <c>--store</c> text by <see cref="TrialStoreFactory.Parse"/>.</summary>
/// <param name="Target">The SQLite file path, or an Npgsql connection string (URLs already converted).</param>
public sealed record TrialStoreLocation(TrialStoreKind Kind, string Target)
{
    /// <summary>Safe to print: a PostgreSQL password is masked.</summary>
    public override string ToString() =>
        Kind == TrialStoreKind.Postgres ? $"postgres ({PostgresConnectionString.Redact(Target)})" : $"sqlite ({Target})";
}
