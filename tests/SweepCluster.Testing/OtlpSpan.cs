namespace SweepCluster.Testing;

/// <summary>One span as <see cref="OtlpReceiver"/> read it; ids in lower-case hex, an empty parent for a root span.</summary>
public sealed record OtlpSpan(string Scope, string Name, string TraceId, string SpanId, string ParentSpanId);
