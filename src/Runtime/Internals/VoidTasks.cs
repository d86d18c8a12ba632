using System.ComponentModel;
using System.Threading.Tasks;

namespace Pipelines.Internals;

/// <summary>Adapts <see cref="Task"/>/<see cref="ValueTask"/> methods to calls with a <see cref="VoidResult"/>. Used by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VoidTasks
{
    /// <summary>Completes when <paramref name="task"/> does, with its exception or cancellation.</summary>
    public static ValueTask<VoidResult> From(Task task) =>
        task.IsCompletedSuccessfully ? default : Await(task);

    /// <summary>Completes when <paramref name="task"/> does, with its exception or cancellation.</summary>
    public static ValueTask<VoidResult> From(ValueTask task) =>
        task.IsCompletedSuccessfully ? default : Await(task.AsTask());

    private static async ValueTask<VoidResult> Await(Task task)
    {
        await task.ConfigureAwait(false);
        return default;
    }
}
