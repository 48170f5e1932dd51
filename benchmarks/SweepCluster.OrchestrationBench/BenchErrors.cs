using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SweepCluster.OrchestrationBench;

/// <summary>
/// The cluster's only logger, and the benchmark's error count. While <see cref="IsRecording"/>: every error logged by
/// any category, every warning of SweepCluster's own categories (a placement that failed, a silo declared lost) and
/// every runner log line reporting a failure count as errors; warnings of Orleans and ASP.NET Core are counted apart.
/// Nothing is printed as it happens: the first few messages of each are kept for the report.
/// </summary>
internal sealed class BenchErrors : ILoggerProvider
{
    private const int KeptMessages = 5;

    private readonly ConcurrentQueue<string> _errorMessages = new();
    private readonly ConcurrentQueue<string> _warningMessages = new();
    private bool _recording;
    private int _errors;
    private int _warnings;

    public bool IsRecording
    {
        get => Volatile.Read(ref _recording);
        set => Volatile.Write(ref _recording, value);
    }

    public int Count => Volatile.Read(ref _errors);

    /// <summary>Framework warnings (Orleans, ASP.NET Core): reported, not counted as errors.</summary>
    public int Warnings => Volatile.Read(ref _warnings);

    public IReadOnlyList<string> Messages => [.. _errorMessages];

    public IReadOnlyList<string> WarningMessages => [.. _warningMessages];

    /// <summary>Counts an error seen elsewhere (a runner log line that reports a failure).</summary>
    public void Add(string message)
    {
        if (IsRecording)
        {
            Keep(_errorMessages, message, ref _errors);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Counter(this, categoryName);

    public void Dispose()
    {
        // Nothing to release: messages stay readable after the hosts are gone.
    }

    private static void Keep(ConcurrentQueue<string> messages, string message, ref int count)
    {
        Interlocked.Increment(ref count);
        if (messages.Count < KeptMessages)
        {
            messages.Enqueue(message);
        }
    }

    private sealed class Counter(BenchErrors owner, string category) : ILogger
    {
        private readonly bool _ours = category.StartsWith("SweepCluster", StringComparison.Ordinal);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel) || !owner.IsRecording)
            {
                return;
            }

            var message = $"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})")}";
            if (logLevel >= LogLevel.Error || _ours)
            {
                Keep(owner._errorMessages, message, ref owner._errors);
            }
            else
            {
                Keep(owner._warningMessages, message, ref owner._warnings);
            }
        }
    }
}
