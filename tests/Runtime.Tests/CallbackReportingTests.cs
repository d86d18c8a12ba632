using System;
using System.IO;
using System.Threading;
using Xunit;

namespace Pipelines.Tests;

[Collection(nameof(ProcessWide))]
public class CallbackReportingTests
{
    [Fact]
    public void UnhandledCallbackFailureIsWrittenToStandardErrorAndDoesNotKillTheWorker()
    {
        TextWriter original = Console.Error;
        var captured = new StringWriter();
        Console.SetError(TextWriter.Synchronized(captured));
        try
        {
            using var executor = new ThreadPoolExecutor(1);
            using var gate = new ManualResetEventSlim();
            Future<int> f = executor.Submit(() => { gate.Wait(Wait.Long); return 1; });
            f.OnDone(_ => throw new InvalidCastException("visible"));
            f.OnDone(_ => throw new UnprintableException());
            int after = 0;
            f.OnDone(_ => after++);
            gate.Set();
            Wait.Done(f);
            Assert.Equal(2, executor.Submit(() => 2).GetResult(Wait.Long)); // the worker lives on
            Wait.Until(() => Volatile.Read(ref after) == 1, "the last callback ran");
            Assert.Contains("visible", captured.ToString());
            Assert.Contains(nameof(UnprintableException), captured.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }

    [Fact]
    public void AThrowingCallbackHandlerDoesNotKillTheWorker()
    {
        TextWriter original = Console.Error;
        var captured = new StringWriter();
        Console.SetError(TextWriter.Synchronized(captured));
        try
        {
            using var executor = new ThreadPoolExecutor(1);
            executor.CallbackFaulted += (_, e) => throw new UnprintableException();
            Future<int> f = executor.Submit(() => 1);
            f.OnDone(_ => throw new ArgumentException("from callback"));
            Wait.Done(f);
            Assert.Equal(2, executor.Submit(() => 2).GetResult(Wait.Long));
            Wait.Until(() => captured.ToString().Contains("from callback"), "the failure is reported");
        }
        finally
        {
            Console.SetError(original);
        }
    }

    /// <summary>An exception whose ToString throws: reporting it must not throw in turn.</summary>
    private sealed class UnprintableException : Exception
    {
        public override string ToString() => throw new FormatException("cannot print");
    }
}
