using System.Collections.Generic;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Generator.Analyzers;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.CodeFixes;

/// <summary>
/// PIPE0100, two rewrites of <c>executor.SubmitWork(x);</c>, each keeping the statement's leading trivia:
/// <list type="number">
/// <item><c>_ = executor.SubmitWork(x);</c> — says the drop is meant and changes nothing the program does. It comes
/// first, so it is what <c>dotnet format analyzers</c> and a Fix All started from the first action apply: a batch
/// tool must not change what a program does.</item>
/// <item><c>await executor.SubmitWork(x);</c>, in an async function — the work's exception reaches the caller, but the
/// caller now waits for the work and throws when it fails or is cancelled: a change of behaviour, offered for a person
/// to choose. Not offered behind <c>CancelAfter</c>, whose cancellation the code expects.</item>
/// </list>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PIPE0100DiscardedFutureCodeFixProvider)), Shared]
public sealed class PIPE0100DiscardedFutureCodeFixProvider : PipelinesCodeFixProvider
{
    /// <summary>The equivalence key of the <c>_ =</c> rewrite.</summary>
    public const string DiscardKey = PIPE0100DiscardedFutureAnalyzer.Id + ".Discard";

    /// <summary>The equivalence key of the <c>await</c> rewrite.</summary>
    public const string AwaitKey = PIPE0100DiscardedFutureAnalyzer.Id + ".Await";

    /// <summary>Creates the provider (the IDE and <c>dotnet format</c> do, through its export).</summary>
    public PIPE0100DiscardedFutureCodeFixProvider()
        : base(PIPE0100DiscardedFutureAnalyzer.Id)
    {
    }

    private protected override IEnumerable<(string Title, string EquivalenceKey, System.Func<CancellationToken, Task<Document>> Apply)> CreateFixes(
        Document document, string fix, ExpressionSyntax node, ExpressionSyntax? second, Diagnostic diagnostic)
    {
        if (fix is FixData.Discard or FixData.DiscardOrAwait)
        {
            yield return ("Discard the future explicitly ('_ =')", DiscardKey, cancellationToken => Rewrites.DiscardStatementAsync(document, node, cancellationToken));
        }

        if (fix is FixData.Await or FixData.DiscardOrAwait)
        {
            yield return ("Await the future (waits for the work and rethrows its exception)", AwaitKey, cancellationToken => Rewrites.AwaitStatementAsync(document, node, cancellationToken));
        }
    }
}
