using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Generator.Analyzers;
using Pipelines.Generator.Analyzers.Common;

namespace Pipelines.CodeFixes;

/// <summary>PIPE0003: <c>executor.SubmitAdd(a.GetResult(), b)</c> → <c>executor.SubmitAdd(a, b)</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PIPE0003PassFutureCodeFixProvider)), Shared]
public sealed class PIPE0003PassFutureCodeFixProvider : PipelinesCodeFixProvider
{
    /// <summary>Creates the provider (the IDE and <c>dotnet format</c> do, through its export).</summary>
    public PIPE0003PassFutureCodeFixProvider()
        : base(PIPE0003BlockingResultAsStubArgumentAnalyzer.Id)
    {
    }

    private protected override (string Title, System.Func<CancellationToken, Task<Document>> Apply)? CreateFix(
        Document document, string fix, ExpressionSyntax node, ExpressionSyntax? second, Diagnostic diagnostic)
        => fix == FixData.PassFuture && second is not null
            ? ($"Pass '{second}' to the stub", cancellationToken => Rewrites.ReplaceKeepingTriviaAsync(document, node, second, cancellationToken))
            : null;
}
