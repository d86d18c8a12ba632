using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Pipelines.Generator.Analyzers.Common;

/// <summary>What kind of code a followed call starts from; a rule decides which sites count from each.</summary>
internal enum RootKind
{
    /// <summary>Code that runs on an executor: a <c>[Submittable]</c> body, a submitted lambda or method group.</summary>
    ExecutorWork,

    /// <summary>The body of a <c>lock</c> statement.</summary>
    Lock,

    /// <summary>An <c>OnDone</c> callback.</summary>
    Callback,
}

/// <summary>A blocking operation a method does, kept until the walk at compilation end knows whether work reaches it.</summary>
internal sealed class BlockingSite
{
    public BlockingSite(Location location, string name, bool onFuture = true, ISymbol? receiver = null)
    {
        Location = location;
        Name = name;
        OnFuture = onFuture;
        Receiver = receiver;
    }

    public Location Location { get; }

    /// <summary>The operation as the message names it, e.g. <c>Future&lt;T&gt;.GetResult</c>.</summary>
    public string Name { get; }

    /// <summary>It blocks on a Pipelines future (PIPE0004 reports only those under a lock).</summary>
    public bool OnFuture { get; }

    /// <summary>The local or parameter it blocks on, if any.</summary>
    public ISymbol? Receiver { get; }
}

/// <summary>A site reached from a root: the method it is in, and the path the message names.</summary>
internal readonly struct ReachedSite
{
    public ReachedSite(BlockingSite site, IMethodSymbol method, RootKind kind, string path, int depth)
    {
        Site = site;
        Method = method;
        Kind = kind;
        Path = path;
        Depth = depth;
    }

    public BlockingSite Site { get; }

    public IMethodSymbol Method { get; }

    public RootKind Kind { get; }

    /// <summary>E.g. <c>a lambda passed to 'Submit' calls 'Jobs.Load', which calls 'Jobs.Read'</c>.</summary>
    public string Path { get; }

    /// <summary>Calls between the root and the site's method (0: the root's own method).</summary>
    public int Depth { get; }
}

/// <summary>
/// Follows calls for one rule and one compilation. While operations are analysed (concurrently), each method in the
/// compilation adds its facts — the sites in its own code that no rule reported there, and the methods it calls — and
/// code in a rule's context adds roots: the methods it calls or hands over as delegates. At compilation end,
/// <see cref="Resolve"/> walks from every root at most <see cref="MaxDepth"/> calls deep, visiting each method once
/// per root (the cycle guard), and keeps one path per site: the shortest, then the first in ordinal order, so the
/// message does not depend on thread timing.
/// </summary>
internal sealed class CallGraph
{
    /// <summary>How many calls below the root the walk goes: root → helper → helper → helper.</summary>
    public const int MaxDepth = 3;

    private readonly ConcurrentDictionary<IMethodSymbol, Facts> _facts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, ConcurrentDictionary<(RootKind Kind, bool FirstParameterComplete), string>> _roots = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Registers a rule that follows calls: <paramref name="analyze"/> runs for every call, property read and method
    /// group (what the graph is made of) and for the operations of <paramref name="kinds"/>; at compilation end each
    /// site a root reaches and <paramref name="accepts"/> takes is reported once, as <paramref name="report"/> makes it.
    /// </summary>
    public static void Register(
        CompilationStartAnalysisContext context,
        System.Action<OperationAnalysisContext, CallGraph> analyze,
        System.Func<RootKind, BlockingSite, bool> accepts,
        System.Func<ReachedSite, Diagnostic> report,
        params OperationKind[] kinds)
    {
        var graph = new CallGraph();
        context.RegisterOperationAction(
            operationContext => analyze(operationContext, graph),
            new[] { OperationKind.Invocation, OperationKind.PropertyReference, OperationKind.MethodReference }.Concat(kinds).ToImmutableArray());
        context.RegisterCompilationEndAction(end =>
        {
            foreach (ReachedSite reached in graph.Resolve(accepts, end.CancellationToken))
            {
                end.ReportDiagnostic(report(reached));
            }
        });
    }

    public void AddSite(IMethodSymbol owner, BlockingSite site) => FactsOf(owner).Sites.Enqueue(site);

    public void AddCall(IMethodSymbol caller, IMethodSymbol callee) => FactsOf(caller).Callees.TryAdd(callee, 0);

    /// <summary>Starts a walk at <paramref name="entry"/>; <paramref name="firstParameterComplete"/> for a method passed to <c>OnDone</c>, whose parameter is the completed future.</summary>
    public void AddRoot(IMethodSymbol entry, RootKind kind, string path, bool firstParameterComplete = false)
        => _roots.GetOrAdd(entry, _ => new ConcurrentDictionary<(RootKind, bool), string>())
            .AddOrUpdate((kind, firstParameterComplete), path, (_, existing) => string.CompareOrdinal(path, existing) < 0 ? path : existing);

    /// <summary>Every site reachable from a root that <paramref name="accepts"/> takes, once, in source order.</summary>
    public ImmutableArray<ReachedSite> Resolve(System.Func<RootKind, BlockingSite, bool> accepts, CancellationToken cancellationToken)
    {
        var best = new Dictionary<BlockingSite, ReachedSite>();
        foreach (KeyValuePair<IMethodSymbol, ConcurrentDictionary<(RootKind Kind, bool FirstParameterComplete), string>> root in _roots)
        {
            foreach (KeyValuePair<(RootKind Kind, bool FirstParameterComplete), string> start in root.Value)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Walk(root.Key, start.Key.Kind, start.Key.FirstParameterComplete, start.Value, accepts, best);
            }
        }

        return best.Values
            .OrderBy(reached => reached.Site.Location.SourceTree?.FilePath, System.StringComparer.Ordinal)
            .ThenBy(reached => reached.Site.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    /// <summary>
    /// The method an operation runs right here that the walk can follow: a call, a property read, or a method group
    /// handed to code that runs it inline (not to a submitter, <c>OnDone</c> or the .NET pool, which are roots or
    /// elsewhere), when it is <see cref="IsFollowable"/>.
    /// </summary>
    public static IMethodSymbol? CalleeOf(IOperation operation, Compilation compilation, PipelinesTypes types)
    {
        IMethodSymbol? method = operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IPropertyReferenceOperation property when !IsWrittenTo(property) => property.Property.GetMethod,
            IMethodReferenceOperation { Parent: IDelegateCreationOperation creation } reference when !IsHandedOver(creation, types) => reference.Method,
            _ => null,
        };

        method = (method?.ReducedFrom ?? method)?.OriginalDefinition;
        return method is not null && IsFollowable(method, compilation) ? method : null;
    }

    /// <summary>Declared in this compilation, with a body that is the one that runs: not abstract, virtual, an override or extern.</summary>
    public static bool IsFollowable(IMethodSymbol method, Compilation compilation)
        => method is { MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.PropertyGet, IsAbstract: false, IsVirtual: false, IsOverride: false, IsExtern: false }
            && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly);

    private static bool IsWrittenTo(IPropertyReferenceOperation property)
        => property.Parent is IAssignmentOperation assignment && assignment.Target == property && assignment is not ICompoundAssignmentOperation;

    private static bool IsHandedOver(IDelegateCreationOperation creation, PipelinesTypes types)
        => Delegates.DirectTargetOf(creation) is { } target
            && (ExecutorWork.RunsElsewhere(target, types)
                || (target is IInvocationOperation invocation && (ExecutorWork.IsSubmitter(invocation.TargetMethod, types) || ExecutorWork.IsOnDone(invocation.TargetMethod, types))));

    private void Walk(IMethodSymbol entry, RootKind kind, bool firstParameterComplete, string path, System.Func<RootKind, BlockingSite, bool> accepts, Dictionary<BlockingSite, ReachedSite> best)
    {
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { entry };
        var queue = new Queue<(IMethodSymbol Method, int Depth, string Path)>();
        queue.Enqueue((entry, 0, path));
        while (queue.Count > 0)
        {
            (IMethodSymbol method, int depth, string current) = queue.Dequeue();
            if (!_facts.TryGetValue(method, out Facts? facts))
            {
                continue;
            }

            foreach (BlockingSite site in facts.Sites)
            {
                bool isCompletedCallbackFuture = depth == 0 && firstParameterComplete
                    && site.Receiver is IParameterSymbol { Ordinal: 0 } parameter
                    && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, entry);
                var reached = new ReachedSite(site, method, kind, current, depth);
                if (!isCompletedCallbackFuture && accepts(kind, site) && (!best.TryGetValue(site, out ReachedSite known) || IsBetter(reached, known)))
                {
                    best[site] = reached;
                }
            }

            if (depth == MaxDepth)
            {
                continue;
            }

            foreach (IMethodSymbol callee in facts.Callees.Keys.OrderBy(Names.Of, System.StringComparer.Ordinal).ThenBy(m => m.ToDisplayString(), System.StringComparer.Ordinal))
            {
                if (visited.Add(callee))
                {
                    queue.Enqueue((callee, depth + 1, $"{current}, which calls '{Names.Of(callee)}'"));
                }
            }
        }
    }

    private static bool IsBetter(ReachedSite candidate, ReachedSite known)
        => candidate.Depth < known.Depth || (candidate.Depth == known.Depth && string.CompareOrdinal(candidate.Path, known.Path) < 0);

    private Facts FactsOf(IMethodSymbol method) => _facts.GetOrAdd(method, _ => new Facts());

    /// <summary>One method's own sites (those no rule reported where they are) and the methods it calls.</summary>
    private sealed class Facts
    {
        public ConcurrentQueue<BlockingSite> Sites { get; } = new();

        public ConcurrentDictionary<IMethodSymbol, byte> Callees { get; } = new(SymbolEqualityComparer.Default);
    }
}
