using System.Diagnostics;
using System.Globalization;

namespace SweepCluster.Silo.Processes;

/// <summary>
/// Starts <c>&lt;prefix&gt; trial-run --config ... --out ... [--resume ...] --device ... [--threads N]</c>
/// (see docs/trial-protocol.md). The prefix is the executable and its leading arguments, for example
/// the CLI's own path, or <c>dotnet sweepcluster.dll</c>. A GPU attempt sees only its GPUs
/// (<c>CUDA_VISIBLE_DEVICES</c>) and runs on <c>cuda:0</c>; a CPU attempt sees no GPU and gets a
/// thread count through <c>--threads</c> and the usual OpenMP/MKL variables.
/// </summary>
public sealed class CommandTrialProcessLauncher : ITrialProcessLauncher
{
    private readonly IReadOnlyList<string> _prefix;

    public CommandTrialProcessLauncher(IReadOnlyList<string> commandPrefix)
    {
        ArgumentNullException.ThrowIfNull(commandPrefix);
        if (commandPrefix.Count == 0 || string.IsNullOrWhiteSpace(commandPrefix[0]))
        {
            throw new ArgumentException("The command prefix needs at least the executable.", nameof(commandPrefix));
        }

        _prefix = [.. commandPrefix];
    }

    public ITrialProcess Start(TrialLaunchRequest request) => ChildProcess.Start(BuildStartInfo(_prefix, request));

    /// <summary>The command line and environment for <paramref name="request"/>; pure, so it can be checked without starting anything.</summary>
    public static ProcessStartInfo BuildStartInfo(IReadOnlyList<string> commandPrefix, TrialLaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(commandPrefix);
        ArgumentNullException.ThrowIfNull(request);
        var info = new ProcessStartInfo(commandPrefix[0]) { WorkingDirectory = request.OutputDirectory };
        foreach (var argument in commandPrefix.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add("trial-run");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(request.ConfigPath);
        info.ArgumentList.Add("--out");
        info.ArgumentList.Add(request.OutputDirectory);
        if (request.ResumeCheckpointPath is { } resume)
        {
            info.ArgumentList.Add("--resume");
            info.ArgumentList.Add(resume);
        }

        var gpus = request.Assignment.Slots.Where(s => s.IsGpu).Select(s => s.GpuIndex!.Value).ToList();
        info.ArgumentList.Add("--device");
        if (gpus.Count > 0)
        {
            info.ArgumentList.Add("cuda:0");
            info.Environment["CUDA_VISIBLE_DEVICES"] = string.Join(',', gpus.Select(g => g.ToString(CultureInfo.InvariantCulture)));
        }
        else
        {
            info.ArgumentList.Add("cpu");
            info.Environment["CUDA_VISIBLE_DEVICES"] = string.Empty;
        }

        if (request.Threads is { } threads)
        {
            var text = threads.ToString(CultureInfo.InvariantCulture);
            info.ArgumentList.Add("--threads");
            info.ArgumentList.Add(text);
            info.Environment["OMP_NUM_THREADS"] = text;
            info.Environment["MKL_NUM_THREADS"] = text;
        }

        info.Environment["SWEEPCLUSTER_TRIAL_ID"] = request.Assignment.TrialId;
        info.Environment["SWEEPCLUSTER_ATTEMPT"] = request.Assignment.Attempt.ToString(CultureInfo.InvariantCulture);
        return info;
    }
}
