using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Pipelines.Remoting;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;
using Pipelines.Orleans.Silo;

namespace Pipelines.Orleans;

/// <summary>
/// Runs static [Submittable] methods on a Microsoft Orleans cluster through the same generated stubs as any executor:
/// <c>executor.SubmitDigest(path)</c>, <c>Futures.Wait</c>, <c>AsCompleted</c>, <c>Then…</c>, cancellation, retries and
/// timeouts work unchanged. Only the construction differs from a <see cref="ThreadPoolExecutor"/>.
/// </summary>
/// <remarks>
/// <para><b>Futures as arguments stay in the cluster.</b> A call's result is held by the shard grain that ran it. A later
/// call of this executor that takes the future as an argument is sent with a reference, and its silo reads the value
/// from there, silo to silo (the call is sent once the argument's call is done). The client reads a value only when
/// something here reads it: it comes back with the call's outcome when something already waits for it (an
/// <c>await</c>, a callback, a dependent call of another executor), else it is fetched on the first read. Futures of
/// other executors (a thread pool, another <see cref="OrleansExecutor"/>) are awaited here and sent as JSON.</para>
/// <para><b>Silo failures.</b> A call the cluster never received is sent again. A call whose outcome is unknown (its
/// silo died while it ran, or no answer came in time) faults with <see cref="ClusterCallLostException"/> unless its
/// method has <c>[Submittable(Retries = n)]</c>: then it runs again. A lost call does not break the executor: later
/// calls run on the silos alive then.
/// A call whose argument's result was lost with its silo never ran, so it is sent again once the argument is
/// available: from here if its value was read, or recomputed on the cluster when its method has
/// <c>[Submittable(Retries = n)]</c> (which declares that running it again is safe); otherwise it faults with a
/// <see cref="ClusterCallLostException"/> naming the argument.</para>
/// <para><b>Cancellation.</b> A call counts as running once it is sent, as queued calls do in Python's process pool:
/// <see cref="Future.Cancel"/> then returns false, but a call that has not started on its silo never runs there, and a
/// running one has its <see cref="CancellationToken"/> signalled on its silo; either way the future ends Cancelled
/// (unless the method ignores its token and returns).</para>
/// <para><b>Results are released</b> when their future is garbage collected, and at shutdown — except values nobody has
/// read yet whose futures are still referenced: those stay readable after shutdown and are released once read or
/// collected. Silos drop results nobody released after <c>PipelinesSiloOptions.ResultTimeToLive</c>.</para>
/// <para>Only generated calls of static, non-generic [Submittable] methods run on a cluster: a delegate passed to
/// <c>Submit</c>, or a call of an instance or generic method, fails with <see cref="NotSupportedException"/>.</para>
/// </remarks>
public sealed partial class OrleansExecutor : RemoteExecutor
{
    private static int s_count;

    private readonly ClusterDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ClusterCall, byte> _held = new(ReferenceEqualityComparer.Instance); // calls whose results the cluster may hold
    private readonly ConcurrentDictionary<string, long> _succeededBySilo = new(StringComparer.Ordinal);
    private Task _closing = Task.CompletedTask;
    private volatile bool _drained;
    private long _attempts;
    private long _recomputed;
    private long _redispatched;

    /// <summary>Creates an executor that runs calls on the cluster that <paramref name="client"/> is connected to.</summary>
    /// <param name="client">A started Orleans client (or a silo's co-hosted client) of a cluster whose silos called <c>AddPipelines</c>.</param>
    /// <param name="options">How calls are sent; read once (later changes have no effect). Default: <see cref="OrleansExecutorOptions"/>' defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it), e.g. a
    /// <see cref="OrleansExecutorOptions.PollInterval"/> longer than half the client's Orleans response timeout.</exception>
    /// <exception cref="ArgumentException"><see cref="OrleansExecutorOptions.Name"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="OrleansExecutorOptions.JsonOptions"/> were given and reflection-based JSON is disabled.</exception>
    public OrleansExecutor(IClusterClient client, OrleansExecutorOptions? options = null)
        : base(NameOf(client, options))
    {
        options ??= new OrleansExecutorOptions();
        _logger = client.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger<OrleansExecutor>() ?? (ILogger)NullLogger.Instance;
        _dispatcher = new ClusterDispatcher(client, options, _logger);
        JsonOptions = options.JsonOptions ?? RemoteCalls.DefaultJsonOptions();
        RemoteExceptions = options.RemoteExceptions ?? RemoteExceptionFactory.Default;
        MaxQueued = options.MaxQueued;
        RunTimeLimit = options.CallTimeout; // each call's own clock; infinite means none
        if (options.MaxQueued is int queued)
        {
            SetMaxUnfinishedCalls(queued);
        }
    }

    /// <summary>The options that serialize arguments and results (the silos must use the same).</summary>
    public JsonSerializerOptions JsonOptions { get; }

    /// <summary>How many calls may be unfinished (sent and waiting for their outcome, or waiting for arguments) before a submit waits for room; <see langword="null"/> for no bound.</summary>
    public int? MaxQueued { get; }

    /// <summary>The dispatcher underneath, for tests and the sample's displays.</summary>
    internal ClusterDispatcher Dispatcher => _dispatcher;

    /// <summary>What this executor has done so far: values read, calls sent again, lost and recomputed, where calls ran.</summary>
    public OrleansExecutorStatistics GetStatistics() => new()
    {
        CallsSent = Interlocked.Read(ref _attempts),
        ValuesRead = _dispatcher.ResultReads,
        Redelivered = _dispatcher.Redeliveries,
        LostOutcomes = _dispatcher.LostCalls,
        Recomputed = Interlocked.Read(ref _recomputed),
        Redispatched = Interlocked.Read(ref _redispatched),
        HeldResults = _held.Count,
        HandedBack = _dispatcher.HandedBack,
        MovedResults = _dispatcher.Moved,
        SucceededBySilo = new Dictionary<string, long>(_succeededBySilo, StringComparer.Ordinal),
    };

    /// <summary>The cluster id of the current attempt of one of this executor's calls (tests).</summary>
    internal bool TryGetCallId(Future future, out ClusterCallId callId)
    {
        if (TryGetRemoteState(future, out object? state) && state is CallHandle { Call: { IsPublished: true } call })
        {
            callId = call.Id;
            return true;
        }

        callId = default;
        return false;
    }

    private static string NameOf(IClusterClient client, OrleansExecutorOptions? options)
    {
        ArgumentNullException.ThrowIfNull(client);
        options?.Validate(nameof(options));
        return options?.Name ?? $"OrleansExecutor-{Interlocked.Increment(ref s_count) - 1}";
    }
}
