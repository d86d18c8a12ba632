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
/// PIPE0001, the one fix provider for the rule. In an async function it replaces a blocking wait with <c>await</c> —
/// <c>f.GetResult()</c>, <c>t.Result</c>, <c>t.Wait()</c> and <c>x.GetAwaiter().GetResult()</c> become
/// <c>await f</c>/<c>await t</c>/<c>await x</c>; <c>Futures.Wait(…)</c> becomes <c>await Futures.WaitAsync(…)</c> and
/// <c>Task.WaitAll(…)</c> <c>await Task.WhenAll(…)</c>. When the wait feeds a stub it passes the future instead
/// (<c>SubmitAdd(a.GetResult(), 1)</c> → <c>SubmitAdd(a, 1)</c>). The analyzer decides which rewrite is valid.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PIPE0001BlockingWaitCodeFixProvider)), Shared]
public sealed class PIPE0001BlockingWaitCodeFixProvider : PipelinesCodeFixProvider
{
    /// <summary>Creates the provider (the IDE and <c>dotnet format</c> do, through its export).</summary>
    public PIPE0001BlockingWaitCodeFixProvider()
        : base(PIPE0001BlockingWaitInExecutorWorkAnalyzer.Id)
    {
    }

    private protected override (string Title, System.Func<CancellationToken, Task<Document>> Apply)? CreateFix(
        Document document, string fix, ExpressionSyntax node, ExpressionSyntax? second, Diagnostic diagnostic)
        => fix switch
        {
            FixData.PassFuture when second is not null
                => ($"Pass '{second}' to the stub", cancellationToken => Rewrites.ReplaceKeepingTriviaAsync(document, node, second, cancellationToken)),
            FixData.Await when second is not null
                => ("Await instead of blocking", cancellationToken => Rewrites.AwaitInExpressionAsync(document, node, second, cancellationToken)),
            FixData.AwaitTwin when diagnostic.Properties.TryGetValue(FixData.Twin, out string? twin) && twin is not null && Rewrites.RenameInvokedMethod(node, twin) is { } renamed
                => ("Await instead of blocking", cancellationToken => Rewrites.AwaitInExpressionAsync(document, node, renamed, cancellationToken)),
            _ => null,
        };
}
