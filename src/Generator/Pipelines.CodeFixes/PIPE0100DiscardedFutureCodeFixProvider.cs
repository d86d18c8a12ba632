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
/// PIPE0100: in an async function, <c>executor.SubmitWork(x);</c> → <c>await executor.SubmitWork(x);</c>, so the
/// work's exception reaches the caller; the statement's leading trivia is kept. (Writing <c>_ = …</c> silences the
/// rule too, but hides the exception, so it is not offered as a fix.)
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PIPE0100DiscardedFutureCodeFixProvider)), Shared]
public sealed class PIPE0100DiscardedFutureCodeFixProvider : PipelinesCodeFixProvider
{
    public PIPE0100DiscardedFutureCodeFixProvider()
        : base(PIPE0100DiscardedFutureAnalyzer.Id)
    {
    }

    private protected override (string Title, System.Func<CancellationToken, Task<Document>> Apply)? CreateFix(
        Document document, string fix, ExpressionSyntax node, ExpressionSyntax? second, Diagnostic diagnostic)
        => fix == FixData.Await
            ? ("Await the future", cancellationToken => Rewrites.AwaitStatementAsync(document, node, cancellationToken))
            : null;
}
