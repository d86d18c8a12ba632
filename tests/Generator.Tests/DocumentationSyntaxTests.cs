using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Tests.Helpers;
using Xunit;

namespace Pipelines.Generator.Tests;

/// <summary>Plain doc comments read from syntax must give exactly what the compiler's XML gives.</summary>
public class DocumentationSyntaxTests
{
    public static TheoryData<string, bool> Comments => new()
    {
        { "/// <summary>Adds two numbers.</summary>", true },
        { "/// <summary>\n    /// Adds\n    ///   two numbers.\n    /// </summary>\n    /// <param name=\"a\">The first.</param>\n    /// <param name=\"b\">The\n    /// second.</param>\n    /// <returns>The sum.</returns>", true },
        { "/// <summary>a &lt; b &amp;&amp; c &gt; d > e \"quoted\" 'single' tab\there é 中文</summary>", true },
        { "///<summary>no space after the slashes</summary>\n    ///<param name=\"a\">x</param>", true },
        { "/// <summary></summary>\n    /// <param name=\"a\"></param>", true },
        { "/// <param name=\"a\">first</param>\n    /// <param name=\"a\">second wins</param>", true },
        { "/// stray text\n    /// <summary>s</summary> trailing", true },

        // Read through the compiler's XML instead.
        { "/// <summary>See <see cref=\"System.Math\"/>.</summary>", false },
        { "/// <summary>s</summary>\n    /// <remarks>r</remarks>", false },
        { "/// <summary>a &quot;b&quot;</summary>", false },
        { "/// <summary>x</summary>\n    /// <param>no name</param>", false },
        { "/// <summary lang=\"en\">x</summary>", false },
        { "/// <summary>unclosed", false },
        { "/// <summary><c>code</c></summary>", false },
        { "/** <summary>multi-line form</summary> */", false },
        { "/// <inheritdoc/>", false },
    };

    [Theory]
    [MemberData(nameof(Comments))]
    public void TheSyntaxReadingAgreesWithTheCompilersXml(string comment, bool readFromSyntax)
    {
        string source = "namespace Demo;\npublic static class Jobs\n{\n    " + comment + "\n    [Pipelines.Submittable]\n    public static int Add(int a, int b) => a + b;\n}\n";
        CSharpCompilation compilation = TestCompilation.Create(source);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        MethodDeclarationSyntax declaration = tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        var method = (IMethodSymbol)compilation.GetSemanticModel(tree).GetDeclaredSymbol(declaration, TestContext.Current.CancellationToken)!;

        DocumentationParts? fromSyntax = DocumentationSyntax.TryRead(declaration);
        Assert.Equal(readFromSyntax, fromSyntax is not null);
        DocumentationParts expected = DocumentationComments.ReadWithCompiler(method, declaration, TestContext.Current.CancellationToken);
        DocumentationParts actual = DocumentationComments.Read(method, declaration, TestContext.Current.CancellationToken);
        Assert.Equal(expected.Summary, actual.Summary);
        Assert.Equal(expected.Other, actual.Other);
        Assert.Equal(expected.Parameters.OrderBy(p => p.Key).ToList(), actual.Parameters.OrderBy(p => p.Key).ToList());
    }
}
