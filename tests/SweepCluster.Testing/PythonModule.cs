namespace SweepCluster.Testing;

/// <summary>A Python module a reference imports, the Debian package that installs it, and what the reference uses it for.</summary>
/// <param name="Purpose">In words, for the message when it is missing (<c>Optuna's PostgreSQL storage</c>).</param>
public sealed record PythonModule(string Name, string DebianPackage, string Purpose);
