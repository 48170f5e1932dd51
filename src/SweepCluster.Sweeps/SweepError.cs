namespace SweepCluster.Sweeps;

/// <summary>
/// One problem found in a sweep file. <see cref="Path"/> is the key path inside the sweep file
/// (for example <c>matrix[2].overrides.trainer.lr</c>), or the dotted config path for problems
/// of a resolved trial config.
/// </summary>
public sealed record SweepError(string File, int Line, int Column, string Path, string Message)
{
    internal static SweepError At(SourceLocation location, string path, string message) =>
        new(location.File, location.Line, location.Column, path, message);

    /// <summary>Reads <c>file:line:col: path: message</c>.</summary>
    public override string ToString() =>
        Path.Length == 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}:{Line}:{Column}: {Path}: {Message}";
}
