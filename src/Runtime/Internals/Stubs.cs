using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace Pipelines.Internals;

/// <summary>Helpers that generated stubs call. Not meant for hand-written code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Stubs
{
    /// <summary>
    /// The executor a <c>Then…</c> stub runs on: the source future's own, or — for a future made by
    /// <see cref="Future.FromResult{T}(T)"/> and friends, which has none — an inline executor that runs the call
    /// on the thread that completes its last argument.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static IExecutor ExecutorOf(Future source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Executor ?? InlineExecutor.ForCompletedFutures;
    }

    /// <summary>
    /// A stub argument of type <see cref="List{T}"/> given as futures of its elements: <see cref="Futures.All{T}"/>, then a
    /// list of the results.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null.</exception>
    public static Future<List<T>> GatherList<T>(IEnumerable<Future<T>> futures) =>
        new Converted<T[], List<T>>(Futures.All(futures), static results => new List<T>(results));

    /// <summary>A stub argument of type <see cref="IReadOnlyList{T}"/> given as futures of its elements: the gathered results.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null.</exception>
    public static Future<IReadOnlyList<T>> GatherReadOnlyList<T>(IEnumerable<Future<T>> futures) =>
        new Converted<T[], IReadOnlyList<T>>(Futures.All(futures), static results => results);

    /// <summary>A stub argument of type <see cref="IEnumerable{T}"/> given as futures of its elements: the gathered results.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or one of its elements is null.</exception>
    public static Future<IEnumerable<T>> GatherEnumerable<T>(IEnumerable<Future<T>> futures) =>
        new Converted<T[], IEnumerable<T>>(Futures.All(futures), static results => results);

    /// <summary>A future of its input's result converted, completed inline when the input completes; faults and cancellation pass through.</summary>
    private sealed class Converted<TIn, TOut> : CallFuture<TOut>, Diagnostics.IGatherFuture
    {
        private readonly Func<TIn, TOut> _convert;
        private Future<TIn>? _input;

        public Converted(Future<TIn> input, Func<TIn, TOut> convert)
            : base(InlineExecutor.ForCompletedFutures)
        {
            _input = input;
            _convert = convert;
            DependOn(input);
            Start();
        }

        protected override TOut Invoke() => _convert(_input!.ResultIfSucceeded);

        protected override void ReleaseArguments() => _input = null;
    }
}
