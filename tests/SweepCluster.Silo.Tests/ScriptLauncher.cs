using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using SweepCluster.Silo.Processes;

namespace SweepCluster.Silo.Tests;

/// <summary>Starts <c>/bin/sh -c script</c> as the trial child; the script sees ATTEMPT, RESUME, OUT and CONFIG.</summary>
internal sealed class ScriptLauncher(Func<TrialLaunchRequest, string> script) : ITrialProcessLauncher
{
    public ConcurrentQueue<(TrialLaunchRequest Request, int ProcessId)> Started { get; } = new();

    public ITrialProcess Start(TrialLaunchRequest request)
    {
        var info = new ProcessStartInfo("/bin/sh") { WorkingDirectory = request.OutputDirectory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script(request));
        info.Environment["ATTEMPT"] = request.Assignment.Attempt.ToString(CultureInfo.InvariantCulture);
        info.Environment["RESUME"] = request.ResumeCheckpointPath ?? string.Empty;
        info.Environment["OUT"] = request.OutputDirectory;
        info.Environment["CONFIG"] = request.ConfigPath;
        var process = ChildProcess.Start(info);
        Started.Enqueue((request, process.Id));
        return process;
    }

    /// <summary>Prints progress, <paramref name="points"/> loss points, a checkpoint, a panel and a summary, then exits 0.</summary>
    public static string Succeeding(int points = 5) => $$"""
        i=1
        while [ $i -le {{points}} ]; do
          echo "{\"type\":\"progress\",\"epoch\":1,\"epochs\":1,\"step\":$i,\"steps\":{{points}},\"eta_s\":1.5}"
          echo "{\"type\":\"metric\",\"step\":$i,\"epoch\":1,\"name\":\"loss.total\",\"value\":0.$i,\"kind\":\"step\"}"
          i=$((i+1))
        done
        echo "a log line that is not JSON"
        printf 'checkpoint-of-attempt-%s' "$ATTEMPT" > ckpt.pt
        echo '{"type":"checkpoint","path":"ckpt.pt","step":{{points}},"epoch":1}'
        printf 'png' > panel.png
        echo '{"type":"artifact","path":"panel.png","kind":"panel","name":"panel epoch 1"}'
        echo '{"type":"artifact","path":"/etc/hostname","kind":"panel","name":"outside"}'
        echo '{"type":"summary","summary":{"scalars":{"psnr_cross":27.5} } }'
        exit 0
        """;
}
