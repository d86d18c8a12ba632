using System;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Pipelines.Remoting;

namespace Pipelines.Orleans.Silo;

/// <summary>
/// Runs [Submittable] methods on a silo by method id, through the <see cref="RemoteInvoker"/>s that the generated
/// module initializers register: one per silo, on a Pipelines <see cref="ThreadPoolExecutor"/> of dedicated threads so
/// blocking methods never starve the .NET thread pool that Orleans itself runs on.
/// </summary>
internal sealed class SiloCallRunner : IDisposable
{
    private readonly ThreadPoolExecutor _executor;
    private volatile bool _stopping;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _shards = new(StringComparer.Ordinal);
    private int _waiting;

    public SiloCallRunner(PipelinesSiloOptions options, TimeSpan referencePollInterval)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        ReferencePollInterval = referencePollInterval;
        JsonOptions = options.JsonOptions ?? RemoteCalls.DefaultJsonOptions();
        _executor = new ThreadPoolExecutor(options.MaxConcurrentCalls ?? Environment.ProcessorCount, "pipelines-silo");
        RegisterAssemblies(options);
    }

    public PipelinesSiloOptions Options { get; }

    /// <summary>How many calls this silo runs at once (its worker threads).</summary>
    public int Capacity => _executor.MaxWorkers;

    public JsonSerializerOptions JsonOptions { get; }

    /// <summary>How long one silo-to-silo read of an argument waits (<see cref="PipelinesSiloOptions.ReferencePollInterval"/> in force).</summary>
    public TimeSpan ReferencePollInterval { get; }

    /// <summary>True once the silo is stopping: what fails from now on fails because the silo goes away.</summary>
    public bool IsStopping => _stopping;

    /// <summary>Runs the generated module initializers of the assemblies, which fill <see cref="RemoteCalls"/>.</summary>
    internal static void RegisterAssemblies(PipelinesSiloOptions options)
    {
        foreach (var assembly in options.Assemblies)
        {
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        }
    }

    /// <summary>The keys of the shard activations on this silo (a draining silo drains each).</summary>
    public System.Collections.Generic.ICollection<string> Shards => _shards.Keys;

    public void AddShard(string key) => _shards.TryAdd(key, 0);

    public void RemoveShard(string key) => _shards.TryRemove(key, out _);

    /// <summary>Calls accepted by <see cref="Start"/> that have not started on a worker thread yet (nor been withdrawn).</summary>
    public int Backlog => Math.Max(0, Volatile.Read(ref _waiting));

    /// <summary>
    /// Queues one call for a worker thread: <paramref name="arguments"/> is the JSON array of its arguments. Its
    /// <see cref="RunnerCall.Completion"/> ends with the result JSON, or the method's exception; with
    /// <see cref="OperationCanceledException"/> if it was cancelled (<paramref name="cancellationToken"/>, or
    /// <see cref="RunnerCall.Cancel"/>) or withdrawn before it started. A running call sees the cancellation through its token.
    /// Whoever awaits the completion calls <see cref="RunnerCall.Settle"/> after it (the backlog count).
    /// </summary>
    public RunnerCall Start(string methodId, byte[] arguments, CancellationToken cancellationToken)
    {
        if (!RemoteCalls.TryGet(methodId, out RemoteInvoker? invoker))
        {
            return new RunnerCall(this, Task.FromException<byte[]>(new MissingMethodException(
                $"No [Submittable] method '{methodId}' is registered on this silo. Add the assembly that declares it with " +
                "siloBuilder.AddPipelines(typeof(SomeTypeInIt).Assembly), and compile it with the Pipelines generator.")));
        }

        Interlocked.Increment(ref _waiting);
        var call = new RunnerCall(this, invoker, arguments);
        Future<byte[]> future = _executor.Submit(call.RunAsync);
        call.Started(future);
        if (cancellationToken.CanBeCanceled)
        {
            // Cancel() on a call that has not started means it never runs; on a running one it signals the token the
            // executor passed in (the Future's own), which the invoker sees.
            CancellationTokenRegistration registration = cancellationToken.Register(static state => ((Future)state!).Cancel(), future);
            future.OnDone(_ => registration.Dispose());
        }

        return call;
    }

    /// <summary>One call of <see cref="Start"/> left the backlog (it started, or ended without starting).</summary>
    internal void LeaveBacklog() => Interlocked.Decrement(ref _waiting);

    internal async Task<byte[]> Invoke(RemoteInvoker invoker, byte[] arguments, CancellationToken cancellationToken)
    {
        // The arguments array lives until the call ends: an async method's invoker may read them after it yields.
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            await invoker(arguments, JsonOptions, writer, cancellationToken).ConfigureAwait(false);
            writer.Flush();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public void Dispose()
    {
        _stopping = true;
        _executor.Shutdown(wait: false, cancelFutures: true);
    }
}

/// <summary>A call queued on the silo's worker threads (<see cref="SiloCallRunner.Start"/>): one object for the queue's delegate, the backlog count and the shard's handle.</summary>
internal sealed class RunnerCall
{
    private readonly SiloCallRunner _runner;
    private readonly RemoteInvoker? _invoker;
    private readonly byte[]? _arguments;
    private Future<byte[]>? _future;
    private int _leftBacklog;

    public RunnerCall(SiloCallRunner runner, RemoteInvoker invoker, byte[] arguments)
    {
        _runner = runner;
        _invoker = invoker;
        _arguments = arguments;
        Completion = null!;
    }

    /// <summary>A call that failed before it was queued (it never counted in the backlog).</summary>
    public RunnerCall(SiloCallRunner runner, Task<byte[]> failed)
    {
        _runner = runner;
        _leftBacklog = 1;
        Completion = failed;
    }

    /// <summary>Ends with the result JSON, the method's exception, or a cancellation.</summary>
    public Task<byte[]> Completion { get; private set; }

    /// <summary>True while the call waits for a worker thread (it can still be withdrawn).</summary>
    public bool IsWaiting => _future is { State: FutureState.Pending };

    /// <summary>Takes the call back if it has not started: it never runs, and <see cref="Completion"/> ends cancelled. False if it started.</summary>
    public bool TryWithdraw() => _future is { State: FutureState.Pending } pending && pending.Cancel();

    /// <summary>True once the method has started on a worker thread.</summary>
    public bool HasStarted { get; private set; }

    /// <summary>Cancels the call: one waiting for a thread never runs; a running one has its token signalled.</summary>
    public void Cancel() => _future?.Cancel();

    /// <summary>After <see cref="Completion"/>: a call that never started leaves the backlog now.</summary>
    public void Settle() => LeaveBacklog();

    internal void Started(Future<byte[]> future)
    {
        _future = future;
        Completion = future.AsTask();
    }

    /// <summary>Runs on a worker thread: the call starts (it leaves the backlog).</summary>
    internal Task<byte[]> RunAsync(CancellationToken cancellationToken)
    {
        HasStarted = true;
        LeaveBacklog();
        return _runner.Invoke(_invoker!, _arguments!, cancellationToken);
    }

    private void LeaveBacklog()
    {
        if (Interlocked.Exchange(ref _leftBacklog, 1) == 0)
        {
            _runner.LeaveBacklog();
        }
    }
}
