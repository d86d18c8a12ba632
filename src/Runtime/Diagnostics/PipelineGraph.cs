using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Pipelines.Internals;
using Pipelines.Remoting;
using Pipelines.Diagnostics;

namespace Pipelines;

/// <summary>
/// A pipeline's dependency graph at one moment: its calls (<see cref="Nodes"/>, arguments before the calls that use
/// them) and which futures each call waited for (<see cref="Edges"/>). Made by <see cref="Futures.Graph(IEnumerable{Future})"/>;
/// drawn with <see cref="ToMermaid()"/> (GitHub and most markdown viewers render it) or <see cref="ToDot()"/> (Graphviz).
/// </summary>
public sealed partial class PipelineGraph
{
    private PipelineGraph(List<PipelineGraphNode> nodes, List<PipelineGraphEdge> edges)
    {
        Nodes = nodes;
        Edges = edges;
    }

    /// <summary>The calls, each after every argument it waited for; ids <c>n0</c>, <c>n1</c>, … in this order.</summary>
    public IReadOnlyList<PipelineGraphNode> Nodes { get; }

    /// <summary>One edge per argument future a call waited for: from the argument to the call.</summary>
    public IReadOnlyList<PipelineGraphEdge> Edges { get; }

    /// <summary>The Mermaid flowchart (<see cref="ToMermaid()"/>).</summary>
    public override string ToString() => ToMermaid();

    /// <summary>Walks from the roots to every argument known (recorded edges, or the live arguments of calls still waiting).</summary>
    internal static PipelineGraph From(List<Future> roots)
    {
        long now = Stopwatch.GetTimestamp();
        var index = new Dictionary<Future, int>(ReferenceEqualityComparer.Instance);
        var order = new List<(Future Future, Future[] Arguments)>();
        var onPath = new HashSet<Future>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Future Future, Future[] Arguments, int Next)>();
        foreach (Future root in roots)
        {
            if (index.ContainsKey(root) || onPath.Contains(root))
            {
                continue;
            }

            // Post-order, iteratively (a long chain must not overflow the stack): a node is numbered after its arguments.
            stack.Push((root, ArgumentsOf(root), 0));
            onPath.Add(root);
            while (stack.Count > 0)
            {
                (Future future, Future[] arguments, int next) = stack.Pop();
                if (next < arguments.Length)
                {
                    stack.Push((future, arguments, next + 1));
                    Future argument = arguments[next];
                    if (!index.ContainsKey(argument) && onPath.Add(argument))
                    {
                        stack.Push((argument, ArgumentsOf(argument), 0));
                    }

                    continue;
                }

                onPath.Remove(future);
                index[future] = order.Count;
                order.Add((future, arguments));
            }
        }

        var nodes = new List<PipelineGraphNode>(order.Count);
        for (int i = 0; i < order.Count; i++)
        {
            nodes.Add(new PipelineGraphNode(i, order[i].Future, now));
        }

        var edges = new List<PipelineGraphEdge>();
        var rootSet = new HashSet<Future>(roots, ReferenceEqualityComparer.Instance);
        foreach ((Future future, Future[] arguments) in order)
        {
            PipelineGraphNode call = nodes[index[future]];
            call.IsRoot = rootSet.Contains(future);
            var seen = new HashSet<Future>(ReferenceEqualityComparer.Instance);
            foreach (Future argument in arguments)
            {
                if (seen.Add(argument))
                {
                    PipelineGraphNode from = nodes[index[argument]];
                    edges.Add(new PipelineGraphEdge(from, call, Propagated(from, call)));
                }
            }
        }

        foreach (PipelineGraphEdge edge in edges)
        {
            if (edge.Propagated)
            {
                edge.To.Cause ??= edge.From;
            }
        }

        return new PipelineGraph(nodes, edges);
    }

    /// <summary>
    /// The argument futures a call waited for, with each gathering (<see cref="IGatherFuture"/>: a collection argument of
    /// futures, or <see cref="Futures.All{T}(IEnumerable{Future{T}})"/> passed as an argument) replaced by its elements,
    /// so the gathering is drawn as part of the call that takes it. A gathering whose elements are not known stays.
    /// </summary>
    private static Future[] ArgumentsOf(Future future)
    {
        Future[] arguments = OwnArgumentsOf(future);
        if (!Array.Exists(arguments, static a => a is IGatherFuture))
        {
            return arguments;
        }

        var flattened = new List<Future>(arguments.Length);
        foreach (Future argument in arguments)
        {
            Future[] elements = argument is IGatherFuture ? ArgumentsOf(argument) : Array.Empty<Future>();
            if (elements.Length > 0)
            {
                flattened.AddRange(elements);
            }
            else
            {
                flattened.Add(argument);
            }
        }

        return flattened.ToArray();
    }

    private static Future[] OwnArgumentsOf(Future future)
    {
        if (CallRecord.Find(future) is { } record && record.Arguments() is { Length: > 0 } recorded)
        {
            return recorded;
        }

        // Not recorded: a generated call of a static method still names the futures it waits for, until it completes.
        if (future is IRemoteCall call && !future.IsDone)
        {
            try
            {
                var live = new List<Future>(call.ArgumentCount);
                for (int i = 0; i < call.ArgumentCount; i++)
                {
                    if (call.GetArgumentFuture(i) is { } argument)
                    {
                        live.Add(argument);
                    }
                }

                return live.ToArray();
            }
            catch (Exception)
            {
                return Array.Empty<Future>(); // a hand-written IRemoteCall that throws: draw the node without its edges
            }
        }

        return Array.Empty<Future>();
    }

    /// <summary>True if <paramref name="call"/> ended without running because <paramref name="argument"/> failed or was cancelled.</summary>
    private static bool Propagated(PipelineGraphNode argument, PipelineGraphNode call)
    {
        if (call.Runs is > 0)
        {
            return false;
        }

        return (call.State, argument.State) switch
        {
            (FutureState.Faulted, FutureState.Faulted) => ReferenceEquals(call.Exception, argument.Exception),
            (FutureState.Cancelled, FutureState.Cancelled) => true,
            _ => false,
        };
    }
}

/// <summary>One call of a <see cref="PipelineGraph"/>, as it was when the graph was taken.</summary>
public sealed class PipelineGraphNode
{
    internal PipelineGraphNode(int index, Future future, long now)
    {
        Id = "n" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Future = future;
        State = future.State;
        Exception = State == FutureState.Faulted ? future.ExceptionHolder?.Exception : null; // not observing it
        CallRecord? record = CallRecord.Find(future);
        Method = (record?.Name ?? CallNames.Of(future)).Short;
        Label = Internals.CallLabels.LabelOf(future);
        Executor = future.OwnerExecutor?.Name;
        if (record is not null)
        {
            Runs = record.Runs;
            long started = record.StartedAt;
            long ended = record.EndedAt;
            if (started != 0 && (ended != 0 || !future.IsDone))
            {
                Duration = Stopwatch.GetElapsedTime(started, ended != 0 ? ended : now);
            }
        }
    }

    /// <summary>The node's id in the drawings: <c>n0</c>, <c>n1</c>, … in the order of <see cref="PipelineGraph.Nodes"/>.</summary>
    public string Id { get; }

    /// <summary>The future (the call itself, or a plain future such as <see cref="Future.FromResult{T}(T)"/>'s).</summary>
    public Future Future { get; }

    /// <summary>The call's method, e.g. <c>Add</c>; <c>Future</c> for a future that is not a call.</summary>
    public string Method { get; }

    /// <summary>
    /// What tells the call from its method's other calls (<c>[Submittable(Label = …)]</c>, by default its first argument of a
    /// simple type), e.g. <c>about.md</c>; null when it has none, or when it finished unrecorded (a call lets its arguments
    /// go when it completes: record the graph to keep its label).
    /// </summary>
    public string? Label { get; }

    /// <summary>The executor's name, or null for a future without one.</summary>
    public string? Executor { get; }

    /// <summary>The state when the graph was taken.</summary>
    public FutureState State { get; }

    /// <summary>The exception of a faulted node (reading it here does not count as observing it), else null.</summary>
    public Exception? Exception { get; }

    /// <summary>How many times the call started (1 + retries; 0 if it never ran), or null if it was not recorded.</summary>
    public int? Runs { get; }

    /// <summary>From the call's first start to its completion (to now while it runs); null if it never ran or was not recorded.</summary>
    public TimeSpan? Duration { get; }

    /// <summary>True for the futures the graph was taken from.</summary>
    public bool IsRoot { get; internal set; }

    /// <summary>
    /// For a call that ended without running because of an argument: the argument whose exception it took on (faulted), or
    /// the cancelled argument that cancelled it; else null.
    /// </summary>
    public PipelineGraphNode? Cause { get; internal set; }

    /// <summary>E.g. <c>n3 Parse(Faulted)</c>, or <c>n3 Parse about.md(Faulted)</c> with a label.</summary>
    public override string ToString() => Label is null ? $"{Id} {Method}({State})" : $"{Id} {Method} {Label}({State})";
}

/// <summary>An argument future of a call: <see cref="From"/> is the argument, <see cref="To"/> the call that waited for it.</summary>
/// <param name="From">The argument.</param>
/// <param name="To">The call.</param>
/// <param name="Propagated">True if the call ended without running because this argument faulted (the same exception moved on) or was cancelled.</param>
public sealed record PipelineGraphEdge(PipelineGraphNode From, PipelineGraphNode To, bool Propagated);
