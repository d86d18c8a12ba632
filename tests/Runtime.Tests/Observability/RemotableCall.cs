using System;
using System.Diagnostics;
using System.Threading;
using Pipelines.Internals;
using Pipelines.Remoting;

namespace Pipelines.Tests.Observability;

/// <summary>A remotable call, as the generator writes one for a static method: named by its documentation ID.</summary>
internal sealed class RemotableCall : CallFuture<int>, IRemoteCall
{
    private FutureOr<int> _a;
    private FutureOr<int> _b;

    public RemotableCall(IExecutor executor, FutureOr<int> a, FutureOr<int> b)
        : base(executor)
    {
        _a = a;
        _b = b;
        DependOn(a);
        DependOn(b);
        Start();
    }

    public string MethodId => "M:Demo.Numbers.Sum(System.Int32,System.Int32)";

    public int ArgumentCount => 2;

    public Future? GetArgumentFuture(int index) => index switch
    {
        0 => _a.Future,
        1 => _b.Future,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public void WriteArgument(int index, System.Text.Json.Utf8JsonWriter writer, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteNumberValue(index == 0 ? _a.GetResult() : _b.GetResult());

    protected override int Invoke() => _a.GetResult() + _b.GetResult();

    protected override void ReleaseArguments()
    {
        _a = default;
        _b = default;
    }
}
