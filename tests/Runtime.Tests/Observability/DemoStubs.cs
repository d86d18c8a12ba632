using System;
using System.Diagnostics;
using System.Threading;
using Pipelines.Internals;

namespace Pipelines.Tests.Observability;

/// <summary>
/// Calls shaped and named like generated ones (<c>{Method}Call</c> nested in <c>{Type}Stubs</c>), so their method names
/// come out as the generator's would: <c>Load</c>, <c>Demo.Load</c>. Every argument is an int or a future of one.
/// </summary>
// Hand-built: each test gives one method name its own body (a Load that succeeds, a Load that throws), and these calls
// carry no label, where a generated call labels itself with its first simple argument (graph snapshots show labels).
internal static class DemoStubs
{
    internal abstract class DemoCall : CallFuture<int>
    {
        private readonly int _retries;
        private FutureOr<int>[]? _arguments;
        private Func<int[], int>? _function;

        protected DemoCall(IExecutor executor, Func<int[], int> function, int retries, FutureOr<int>[] arguments)
            : base(executor)
        {
            _retries = retries;
            _arguments = arguments;
            _function = function;
            foreach (FutureOr<int> argument in arguments)
            {
                DependOn(argument);
            }

            Start();
        }

        protected override int Retries => _retries;

        protected override int Invoke()
        {
            FutureOr<int>[] arguments = _arguments!;
            int[] values = new int[arguments.Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = arguments[i].GetResult();
            }

            return _function!(values);
        }

        protected override void ReleaseArguments()
        {
            _arguments = null;
            _function = null;
        }
    }

    internal sealed class LoadCall(IExecutor executor, Func<int[], int> function, params FutureOr<int>[] arguments)
        : DemoCall(executor, function, 0, arguments);

    internal sealed class ParseCall(IExecutor executor, Func<int[], int> function, params FutureOr<int>[] arguments)
        : DemoCall(executor, function, 0, arguments);

    internal sealed class AddCall(IExecutor executor, Func<int[], int> function, params FutureOr<int>[] arguments)
        : DemoCall(executor, function, 0, arguments);

    internal sealed class MergeCall(IExecutor executor, Func<int[], int> function, params FutureOr<int>[] arguments)
        : DemoCall(executor, function, 0, arguments);

    internal sealed class ReportCall(IExecutor executor, Func<int[], int> function, params FutureOr<int>[] arguments)
        : DemoCall(executor, function, 0, arguments);

    /// <summary>An overload's call class: the generator adds a hash to its name.</summary>
    internal sealed class TwiceCall_4fc759c5(IExecutor executor, Func<int[], int> function, params FutureOr<int>[] arguments)
        : DemoCall(executor, function, 0, arguments);

    /// <summary>A call with a label, as a generated call of <c>Page(string name, …)</c> has: its first simple argument.</summary>
    internal sealed class PageCall(IExecutor executor, string name, Func<int[], int> function, params FutureOr<int>[] arguments)
        : DemoCall(executor, function, 0, arguments)
    {
        private string? _name = name;

        protected override string? Label => _name;

        protected override void ReleaseArguments()
        {
            base.ReleaseArguments();
            _name = null;
        }
    }

    internal sealed class FlakyCall(IExecutor executor, Func<int[], int> function, int retries, params FutureOr<int>[] arguments)
        : DemoCall(executor, function, retries, arguments);
}
