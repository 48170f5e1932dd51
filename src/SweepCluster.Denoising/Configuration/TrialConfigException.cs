namespace SweepCluster.Denoising.Configuration;

/// <summary>A trial configuration was refused; <see cref="Errors"/> lists every problem found, each naming its dotted key path.</summary>
public sealed class TrialConfigException : Exception
{
    public TrialConfigException()
        : this([])
    {
    }

    public TrialConfigException(string message)
        : this([message])
    {
    }

    public TrialConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public TrialConfigException(IReadOnlyList<string> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Every error, one per line of <see cref="Exception.Message"/>.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count switch
        {
            0 => "Invalid trial configuration.",
            1 => "Invalid trial configuration: " + errors[0],
            _ => $"Invalid trial configuration ({errors.Count} errors):" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors),
        };
    }
}
