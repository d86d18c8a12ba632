using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Pipelines.Orleans.Client;

/// <summary>Continues on the thread pool (never on a captured context), as <c>Task.Yield</c> would without one.</summary>
internal readonly struct ThreadPoolSwitch : ICriticalNotifyCompletion
{
    public bool IsCompleted => false;

    public ThreadPoolSwitch GetAwaiter() => this;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(static c => c(), continuation, preferLocal: false);

    public void UnsafeOnCompleted(Action continuation) => ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
}
