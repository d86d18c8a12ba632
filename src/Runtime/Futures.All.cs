using System;
using System.Collections.Generic;
using Pipelines.Internals;

namespace Pipelines;

public static partial class Futures
{
    /// <summary>
    /// Gathers futures into one (<c>asyncio.gather</c>, <c>Task.WhenAll</c>): it succeeds with every result, in input
    /// order, when all have succeeded; it faults with the first failure's exception instance (so <c>catch (IOException)</c>
    /// works downstream) and is cancelled when an input is cancelled, like any dependent. No thread waits: it completes
    /// on the thread that completes its last input. Cancelling it leaves its inputs alone.
    /// </summary>
    /// <typeparam name="T">The futures' result.</typeparam>
    /// <param name="futures">The futures to gather; none may be null. Empty gives a succeeded future of an empty array.</param>
    /// <returns>A future of all the results, in the order of <paramref name="futures"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null.</exception>
    public static Future<T[]> All<T>(IEnumerable<Future<T>> futures)
    {
        ArgumentNullException.ThrowIfNull(futures);
        var inputs = new List<Future<T>>(futures is ICollection<Future<T>> collection ? collection.Count : 4);
        foreach (Future<T> future in futures)
        {
            inputs.Add(future ?? throw new ArgumentNullException(nameof(futures), "A future in the collection is null."));
        }

        return inputs.Count == 0 ? Future.FromResult(Array.Empty<T>()) : new GatherFuture<T>(inputs);
    }

    /// <summary>
    /// The first future to succeed (<c>Promise.any</c>): it succeeds with that result. If none succeeds, it faults with an
    /// <see cref="AggregateException"/> of every input's exception, in input order, or is cancelled when every input was
    /// cancelled. The other inputs are left alone (they may be shared); cancelling the result cancels no input.
    /// </summary>
    /// <typeparam name="T">The futures' result.</typeparam>
    /// <param name="futures">The futures; at least one, none null.</param>
    /// <returns>A future of the first result to arrive.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="futures"/> is empty: there would be nothing to wait for.</exception>
    public static Future<T> Any<T>(IEnumerable<Future<T>> futures)
    {
        ArgumentNullException.ThrowIfNull(futures);
        var inputs = new List<Future<T>>(futures is ICollection<Future<T>> collection ? collection.Count : 4);
        foreach (Future<T> future in futures)
        {
            inputs.Add(future ?? throw new ArgumentNullException(nameof(futures), "A future in the collection is null."));
        }

        if (inputs.Count == 0)
        {
            throw new ArgumentException("Any needs at least one future.", nameof(futures));
        }

        return new AnyOf<T>(inputs).Result;
    }

    /// <summary>Counts the inputs down; the first success completes the result, the last failure fails it.</summary>
    private sealed class AnyOf<T> : IFutureContinuation
    {
        private readonly CompletionFuture<T> _result = new();
        private List<Future<T>>? _inputs; // kept only until the result is decided, to gather the failures
        private int _remaining;

        public AnyOf(List<Future<T>> inputs)
        {
            _inputs = inputs;
            _remaining = inputs.Count;
            foreach (Future<T> input in inputs)
            {
                input.AddContinuation(this);
            }
        }

        public Future<T> Result => _result;

        public void OnFutureCompleted(Future future)
        {
            if (future.State == FutureState.Succeeded)
            {
                if (_result.TrySetResult(((Future<T>)future).ResultIfSucceeded))
                {
                    _inputs = null;
                }
            }

            if (System.Threading.Interlocked.Decrement(ref _remaining) == 0 && !_result.IsDone && _inputs is { } inputs)
            {
                var failures = new List<Exception>();
                foreach (Future<T> input in inputs)
                {
                    if (input.State == FutureState.Faulted)
                    {
                        input.MarkExceptionObserved();
                        failures.Add(input.ExceptionHolder!.Exception);
                    }
                }

                _inputs = null;
                _ = failures.Count == 0 ? _result.TrySetCanceled() : _result.TrySetException(new AggregateException("No future succeeded.", failures));
            }
        }
    }

    /// <summary>A dependent of every input that, when they have all succeeded, collects their results (on the inline executor).</summary>
    private sealed class GatherFuture<T> : CallFuture<T[]>, Diagnostics.IGatherFuture
    {
        private List<Future<T>>? _inputs;

        public GatherFuture(List<Future<T>> inputs)
            : base(InlineExecutor.ForCompletedFutures)
        {
            _inputs = inputs;
            foreach (Future<T> input in inputs)
            {
                DependOn(input);
            }

            Start();
        }

        protected override T[] Invoke()
        {
            List<Future<T>> inputs = _inputs!;
            var results = new T[inputs.Count];
            for (int i = 0; i < results.Length; i++)
            {
                results[i] = inputs[i].ResultIfSucceeded;
            }

            return results;
        }

        protected override void ReleaseArguments() => _inputs = null;
    }
}
