using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// Writes every event as one JSON object on its own line (<c>{"type":"metric",...}</c>) and flushes it, so a
/// parent process reading the stream line by line sees each event as soon as it happens. Safe to call from
/// several threads (a lock keeps lines whole). The writer is not disposed: its owner does that.
/// JSON has no number for NaN or the infinities: a metric's value is then the string <c>"NaN"</c>,
/// <c>"Infinity"</c> or <c>"-Infinity"</c> (what the silo and the coordinator read back as the value).
/// </summary>
public sealed class JsonLinesTrialEvents : ITrialEvents
{
    private readonly TextWriter _writer;
    private readonly Lock _lock = new();

    public JsonLinesTrialEvents(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    public void Progress(int epoch, int epochs, long step, long steps, double? etaSeconds) => Write("progress", w =>
    {
        w.WriteNumber("epoch", epoch);
        w.WriteNumber("epochs", epochs);
        w.WriteNumber("step", step);
        w.WriteNumber("steps", steps);
        if (etaSeconds is { } eta && double.IsFinite(eta))
        {
            w.WriteNumber("eta_s", Math.Round(eta, 3));
        }
        else
        {
            w.WriteNull("eta_s");
        }
    });

    public void Metric(long step, int epoch, string name, double value, MetricKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Write("metric", w =>
        {
            w.WriteNumber("step", step);
            w.WriteNumber("epoch", epoch);
            w.WriteString("name", name);
            WriteValue(w, value);
            w.WriteString("kind", KindName(kind));
        });
    }

    public void Diverged(long step, int epoch, string name, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Write("diverged", w =>
        {
            w.WriteNumber("step", step);
            w.WriteNumber("epoch", epoch);
            w.WriteString("name", name);
            WriteValue(w, value);
        });
    }

    public void Checkpoint(string path, long step, int epoch) => Write("checkpoint", w =>
    {
        w.WriteString("path", path);
        w.WriteNumber("step", step);
        w.WriteNumber("epoch", epoch);
    });

    public void Artifact(string path, ArtifactKind kind, string name) => Write("artifact", w =>
    {
        w.WriteString("path", path);
        w.WriteString("kind", kind switch { ArtifactKind.Panel => "panel", ArtifactKind.Metrics => "metrics", _ => "log" });
        w.WriteString("name", name);
    });

    public void Summary(TrialSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Write("summary", w =>
        {
            w.WritePropertyName("summary");
            summary.WriteTo(w);
        });
    }

    private static void WriteValue(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber("value", value);
        }
        else
        {
            w.WriteString("value", value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static string KindName(MetricKind kind) => kind switch
    {
        MetricKind.Step => "step",
        MetricKind.Epoch => "epoch",
        _ => "eval",
    };

    private void Write(string type, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            body(w);
            w.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(stream.ToArray());
        lock (_lock)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }
}
