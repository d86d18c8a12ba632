namespace Pipelines;

/// <summary>When <see cref="Futures.Wait{TFuture}(System.Collections.Generic.IEnumerable{TFuture}, ReturnWhen, System.TimeSpan?)"/> returns (Python's <c>return_when</c>).</summary>
public enum ReturnWhen
{
    /// <summary>As soon as any future is done (succeeded, faulted or cancelled).</summary>
    FirstCompleted,

    /// <summary>As soon as any future faults; if none faults, when all are done.</summary>
    FirstException,

    /// <summary>When every future is done.</summary>
    AllCompleted,
}
