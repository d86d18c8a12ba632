using System;
using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Threading;
using Pipelines.Remoting;
using Pipelines.Diagnostics;
using Pipelines.Orleans.Client;
using Pipelines.Orleans.Cluster;

namespace Pipelines.Orleans;

// Sending a call: its future arguments of this executor go as references (the value stays on the cluster), every
// other argument as JSON; the call's span context goes along for the silo to continue.
public sealed partial class OrleansExecutor
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <inheritdoc/>
    protected override void Dispatch(IRemoteWorkItem item)
    {
        if (item.Call is not { } call)
        {
            item.SetException(new NotSupportedException(
                $"'{Name}' runs calls on an Orleans cluster, so it runs only static, non-generic [Submittable] methods submitted through their " +
                $"generated Submit… stubs, whose arguments and result are serialized. {item.Future.GetType().Name} is a delegate, instance-method " +
                "or generic-method call; submit it to a ThreadPoolExecutor instead."));
            return;
        }

        if (!item.TryStart())
        {
            return;
        }

        ClusterCall record = RecordOf(item, call);
        var arguments = new ClusterArgument[call.ArgumentCount];
        ClusterCall?[]? argumentCalls = null;
        try
        {
            for (int i = 0; i < arguments.Length; i++)
            {
                if (call.GetArgumentFuture(i) is { } argument && ReferenceOf(argument) is { } source)
                {
                    if (argument.IsDone && argument.State != FutureState.Succeeded)
                    {
                        item.CompleteLike(argument); // it failed after this call was sent the first time
                        return;
                    }

                    arguments[i] = _dispatcher.Reference(source.Id);
                    (argumentCalls ??= new ClusterCall?[arguments.Length])[i] = source;
                }
                else
                {
                    arguments[i] = ClusterArgument.FromJson(Serialize(call, i));
                }
            }
        }
        catch (Exception ex)
        {
            item.SetException(ex); // an argument did not serialize; nothing was sent
            return;
        }

        // The call's span on the client, when it is traced: the silo continues it (default, and nothing is sent, otherwise).
        ActivityContext trace = PipelinesTelemetry.GetActivityContext(item.Future);
        if (record.MayRecompute)
        {
            record.Arguments = arguments;
            record.ArgumentCalls = argumentCalls;
            record.TraceContext = trace;
        }

        ClusterCallId id = record.NewAttempt(_dispatcher);
        _held.TryAdd(record, 0);
        Interlocked.Increment(ref _attempts);
        _ = RunAttemptAsync(new Attempt(item, call, record, id, arguments, argumentCalls, trace));
        record.Publish(id); // registered with the dispatcher now: dependents may reference it
    }

    /// <inheritdoc/>
    /// <remarks>True for a call of this executor that has been sent and is running: a dependent is then dispatched at
    /// once, held by the dispatcher until the argument's call is done, and sent with a reference to where its result is;
    /// its silo reads the value there.</remarks>
    protected override bool CanResolveRemotely(Future argument) =>
        argument.State == FutureState.Running
        && TryGetRemoteState(argument, out object? state)
        && state is CallHandle { Call.IsPublished: true };

    private ClusterCall RecordOf(IRemoteWorkItem item, IRemoteCall call)
    {
        if (item.RemoteState is CallHandle handle)
        {
            return handle.Call; // a retry or a redispatch
        }

        var record = new ClusterCall(_dispatcher.Session, call.MethodId, item.Retries);
        item.RemoteState = new CallHandle(this, record);
        return record;
    }

    /// <summary>The record of <paramref name="argument"/> when it is a call of this executor whose result is on the cluster; null to send its value.</summary>
    private ClusterCall? ReferenceOf(Future argument)
    {
        if (!TryGetRemoteState(argument, out object? state) || state is not CallHandle { Call: { IsPublished: true } source })
        {
            return null;
        }

        // Its result was lost on the cluster but its value was read here: send the value.
        return source.ResultLost && source.ValueIsLocal && argument.State == FutureState.Succeeded ? null : source;
    }

    private byte[] Serialize(IRemoteCall call, int index)
    {
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        try
        {
            call.WriteArgument(index, writer, JsonOptions);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Reset(buffer); // drop any half-written state; never keep a reader's huge buffer
            if (buffer.Capacity > 64 * 1024)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }
}
