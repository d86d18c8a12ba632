using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using Pipelines.Internals;

namespace Pipelines.Diagnostics;

/// <summary>
/// One method as the monitor groups calls: every call whose <see cref="CallName.Qualified"/> is the same (overloads of a
/// method are one group, as Dask groups tasks by their key's prefix). Its <see cref="Index"/> picks its counters in each
/// <see cref="CallLane"/>.
/// </summary>
internal sealed class MethodSlot(int index, CallName name)
{
    public int Index { get; } = index;

    public CallName Name { get; } = name;
}

/// <summary>What the monitor needs to know of a call's type, worked out once per type.</summary>
/// <param name="Slot">The method of every call of the type; null when each call is named by its delegate, and for gatherings.</param>
/// <param name="IsAsync">An <see cref="AsyncCallFuture{TResult}"/>: it runs on no thread while it awaits, so it is timed exactly.</param>
/// <param name="IsGather">A gathering of a collection argument (<see cref="Futures.All{T}"/>, a stub's list): drawn as part of the call that takes it.</param>
internal sealed record CallType(MethodSlot? Slot, bool IsAsync, bool IsGather);

/// <summary>The registry of <see cref="MethodSlot"/>s: by call type, by delegate method, by closure class.</summary>
/// <remarks>
/// Lookups here take a lock or a weak table; <see cref="CallLane"/> caches the last few per thread, so a call pays a
/// reference comparison. Slots are never removed: a process has as many as it has submittable methods and lambdas.
/// </remarks>
internal static class MethodSlots
{
    private static readonly object s_gate = new();
    private static readonly ConditionalWeakTable<Type, CallType> s_byType = new();
    private static readonly ConditionalWeakTable<Type, MethodSlot> s_byClosure = new();
    private static readonly Dictionary<string, MethodSlot> s_byName = new(StringComparer.Ordinal);
    private static readonly Dictionary<MethodInfo, MethodSlot> s_byMethod = new();
    private static MethodSlot[] s_slots = [];

    /// <summary>Every slot so far, by index.</summary>
    public static MethodSlot[] All => Volatile.Read(ref s_slots);

    /// <summary>The slot of futures that are not calls (<see cref="Future.FromResult{T}(T)"/>, a completion source).</summary>
    public static MethodSlot Future { get; } = Named(CallName.Future);

    /// <summary>What the monitor knows of <paramref name="type"/>, a call's (or any future's) runtime type.</summary>
    public static CallType TypeOf(Type type)
    {
        if (s_byType.TryGetValue(type, out CallType? known))
        {
            return known;
        }

        bool isDelegateCall = typeof(IDelegateCall).IsAssignableFrom(type);
        bool isGather = typeof(IGatherFuture).IsAssignableFrom(type);
        bool isCall = DerivesFrom(type, typeof(DependentFuture<>));
        var created = new CallType(
            isDelegateCall || isGather ? null : isCall ? Named(CallNames.FromType(type)) : Future, // a completion source, a FromResult: "Future"
            IsAsync: DerivesFrom(type, typeof(AsyncCallFuture<>)),
            IsGather: isGather);
        return s_byType.GetValue(type, _ => created);
    }

    /// <summary>The slot of a call's delegate: by its closure class when it has one (a new delegate per submit), else by its method.</summary>
    public static MethodSlot OfDelegate(Delegate function)
    {
        Type? closure = function.Target?.GetType();
        if (closure is not null && IsClosureClass(closure))
        {
            // Every lambda of one closure is named "lambda in {Method}" alike, so its class names them without Delegate.Method.
            if (s_byClosure.TryGetValue(closure, out MethodSlot? byClosure))
            {
                return byClosure;
            }

            MethodSlot created = Named(CallNames.OfDelegate(function));
            return s_byClosure.GetValue(closure, _ => created);
        }

        MethodInfo method;
        try
        {
            method = function.Method;
        }
        catch (Exception)
        {
            return Named(new CallName("Submit", "Submit")); // no metadata for it (a reflection-free native build)
        }

        lock (s_gate)
        {
            if (s_byMethod.TryGetValue(method, out MethodSlot? byMethod))
            {
                return byMethod;
            }
        }

        MethodSlot slot = Named(CallNames.OfDelegate(function));
        lock (s_gate)
        {
            s_byMethod[method] = slot;
        }

        return slot;
    }

    /// <summary>The slot of <paramref name="name"/>, made on first use.</summary>
    public static MethodSlot Named(CallName name)
    {
        lock (s_gate)
        {
            if (s_byName.TryGetValue(name.Qualified, out MethodSlot? slot))
            {
                return slot;
            }

            slot = new MethodSlot(s_slots.Length, name);
            MethodSlot[] grown = new MethodSlot[s_slots.Length + 1];
            Array.Copy(s_slots, grown, s_slots.Length);
            grown[^1] = slot;
            s_byName.Add(name.Qualified, slot);
            Volatile.Write(ref s_slots, grown);
            return slot;
        }
    }

    private static bool IsClosureClass(Type type) =>
        type.Name.StartsWith("<>c__DisplayClass", StringComparison.Ordinal) && type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    private static bool DerivesFrom(Type type, Type genericDefinition)
    {
        for (Type? t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == genericDefinition)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// A future that gathers the elements of a collection argument (<see cref="Futures.All{T}"/> and the stubs' list
/// conversions). Graphs and the monitor draw it as part of the call that takes it: an edge from each element to the call.
/// </summary>
internal interface IGatherFuture
{
}
