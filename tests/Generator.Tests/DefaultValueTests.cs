using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Generator.Tests.Helpers;
using Xunit;

namespace Pipelines.Generator.Tests;

/// <summary>Defaults read from literals in the syntax must be exactly the defaults the compiler binds.</summary>
public class DefaultValueTests
{
    [Fact]
    public void LiteralDefaultsMatchTheCompilersConstants()
    {
        const string Source = """
            namespace Demo;
            public enum Mode { A, B = 3 }
            public static class Jobs
            {
                public static void M(
                    int a, int b = 5, int c = -7, int d = 0x1F, long e = 5L, long f = -9L, double g = 1.5, double h = -0.0, double i = 1e300,
                    float j = 2.5f, decimal k = 1.10m, decimal l = -3m, uint m = 4u, ulong n = 18446744073709551615UL, string o = "q\"\n\t\u00e9",
                    string? p = null, char q = '\'', bool r = true, bool s = false, int? t = 6, int? u = null, double? v = -1.25, Mode w = Mode.B,
                    double x = 1, long y = 2, float z = 1.5f, object? aa = null, System.DateTime bb = default, int cc = int.MaxValue, short dd = 3,
                    int ee = default, string? ff = default, [System.Runtime.InteropServices.Optional, System.Runtime.InteropServices.DefaultParameterValue(8)] int gg)
                {
                }
            }
            """;
        CSharpCompilation compilation = TestCompilation.Create(Source);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        MethodDeclarationSyntax declaration = tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        var method = (IMethodSymbol)compilation.GetSemanticModel(tree).GetDeclaredSymbol(declaration, TestContext.Current.CancellationToken)!;

        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            string type = parameter.Type.ToDisplayString(SubmittableParser.TypeFormat);
            string? compiler = SubmittableParser.DefaultValueFromCompiler(parameter, type);
            Assert.Equal(compiler, SubmittableParser.DefaultValueOf(parameter, type, declaration.ParameterList.Parameters[i]));
            Assert.Equal(compiler, SubmittableParser.DefaultValueOf(parameter, type, syntax: null)); // a partial method's parameters
        }

        Assert.Null(SubmittableParser.DefaultValueOf(method.Parameters[0], "int", declaration.ParameterList.Parameters[0]));
    }
}
