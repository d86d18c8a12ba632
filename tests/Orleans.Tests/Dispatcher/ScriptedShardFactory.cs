using System;
using System.Reflection;
using Orleans;

namespace Pipelines.OrleansTests.Dispatcher;

/// <summary>An <see cref="IGrainFactory"/> whose every <c>GetGrain</c> returns the scripted shard.</summary>
public class ScriptedShardFactory : DispatchProxy
{
    internal ScriptedShard? Shard { get; set; }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        targetMethod?.Name == nameof(IGrainFactory.GetGrain) ? Shard : throw new NotSupportedException(targetMethod?.Name);
}
