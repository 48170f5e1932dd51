namespace SweepCluster.Denoising.Configuration;

/// <summary>The <c>evaluation</c> section: how many validation panels to draw and over how many epochs the cross-loss trend is fitted.</summary>
public sealed record EvaluationConfig(int Panels, int TrendEpochs);
