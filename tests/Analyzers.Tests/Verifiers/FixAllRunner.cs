using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Pipelines.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs Fix All in solution scope the way <c>dotnet format analyzers</c> does: analyze the whole project, take the
/// equivalence key of the first diagnostic (in source order) that offers a fix, ask the provider's
/// <see cref="FixAllProvider"/> for one action, apply it. Fails when the provider has no Fix All support or the Fix
/// All action is missing — the failure <c>dotnet format</c> reports as "didn't return a Fix All action".
/// </summary>
internal static class FixAllRunner
{
    /// <summary>The documents' text after Fix All, in the order given.</summary>
    public static Task<string[]> RunAsync(DiagnosticAnalyzer analyzer, CodeFixProvider provider, params string[] sources)
        => RunChosenAsync(analyzer, provider, equivalenceKey: null, sources);

    /// <summary>As above, with the fix a user picked: the first diagnostic offering an action with <paramref name="equivalenceKey"/> starts Fix All.</summary>
    public static async Task<string[]> RunChosenAsync(DiagnosticAnalyzer analyzer, CodeFixProvider provider, string? equivalenceKey, params string[] sources)
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using var workspace = new AdhocWorkspace();
        ProjectId projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution
            .AddProject(projectId, "Test", "Test", LanguageNames.CSharp)
            .WithProjectCompilationOptions(projectId, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .WithProjectParseOptions(projectId, new CSharpParseOptions(LanguageVersion.CSharp12))
            .AddMetadataReferences(projectId, TestReferences.Framework.Add(TestReferences.Pipelines));
        var documentIds = new List<DocumentId>();
        for (int i = 0; i < sources.Length; i++)
        {
            DocumentId id = DocumentId.CreateNewId(projectId);
            documentIds.Add(id);
            solution = solution.AddDocument(id, $"Test{i}.cs", sources[i]);
        }

        Project project = solution.GetProject(projectId)!;
        Compilation compilation = (await project.GetCompilationAsync(cancellationToken))!;
        Assert.Empty(compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error));
        ImmutableArray<Diagnostic> diagnostics = (await compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAnalyzerDiagnosticsAsync(cancellationToken))
            .Where(d => provider.FixableDiagnosticIds.Contains(d.Id))
            .OrderBy(d => d.Location.SourceTree!.FilePath, System.StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();

        (Document Document, string Key)? start = null;
        foreach (Diagnostic diagnostic in diagnostics)
        {
            Document document = project.GetDocument(diagnostic.Location.SourceTree)!;
            var actions = new List<CodeAction>();
            await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken));
            if (actions.FirstOrDefault(a => equivalenceKey is null || a.EquivalenceKey == equivalenceKey) is { } action)
            {
                start = (document, action.EquivalenceKey!);
                break;
            }
        }

        Assert.True(start is not null, "no diagnostic offers a fix");
        FixAllProvider? fixAll = provider.GetFixAllProvider();
        Assert.True(fixAll is not null, $"{provider.GetType().Name} has no Fix All provider");
        var context = new FixAllContext(start!.Value.Document, provider, FixAllScope.Solution, start.Value.Key, provider.FixableDiagnosticIds, new Diagnostics(diagnostics), cancellationToken);
        CodeAction? fix = await fixAll!.GetFixAsync(context);
        Assert.True(fix is not null, $"{provider.GetType().Name} didn't return a Fix All action");

        Solution changed = (await fix!.GetOperationsAsync(cancellationToken)).OfType<ApplyChangesOperation>().Single().ChangedSolution;
        var texts = new string[sources.Length];
        for (int i = 0; i < sources.Length; i++)
        {
            texts[i] = (await changed.GetDocument(documentIds[i])!.GetTextAsync(cancellationToken)).ToString();
        }

        return texts;
    }

    private sealed class Diagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public Diagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            SyntaxTree? tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return _diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }
}
