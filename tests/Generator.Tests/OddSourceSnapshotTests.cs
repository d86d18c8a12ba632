using Pipelines.Generator.Tests.Helpers;
using Xunit;

namespace Pipelines.Generator.Tests;

/// <summary>Snapshots of what unusual sources get (see <see cref="OddSourceTests"/> for the whole corpus); each is also a caching test.</summary>
public class OddSourceSnapshotTests
{
    /// <summary>
    /// Hint names clash ignoring case and once nested types are flattened; a call class would take a stub's name. The
    /// first name in ordinal order keeps its own; the others get the lowest free <c>_2</c>; one stubs class is declared
    /// for both types that flatten onto it, public because one of them is.
    /// </summary>
    [Fact]
    public void NamesThatClashIgnoringCaseOrOnceFlattened() => GeneratorTest.VerifySnapshot("""
        using Pipelines;

        namespace Demo
        {
            public static class Jobs
            {
                [Submittable] public static int Foo(int x) => x;
                [Submittable] public static string foo(string s) => s;
                [Submittable] public static int SubmitX(int a) => a;
                [Submittable] public static int XCall(int a) => a;
            }

            internal static class jobs { [Submittable] public static long Foo(long x) => x; }

            internal static class Outer_Inner { [Submittable] public static string Run(string s) => s; }

            public static class Outer
            {
                public static class Inner { [Submittable] public static int Run(int x) => x; }
            }
        }
        """, nameof(OddSourceSnapshotTests));

    /// <summary>Stubs carry the method's (or its type's) [Obsolete] and [Experimental]; generated code itself warns of nothing.</summary>
    [Fact]
    public void ObsoleteAndExperimental() => GeneratorTest.VerifySnapshot("""
        using Pipelines;

        namespace Demo
        {
            public static class Old
            {
                [System.Obsolete("Use New.")] [Submittable] public static int WithMessage(int x) => x;
                [System.Obsolete("Gone.", true)] [Submittable] public static int AsError(int x) => x;
                [System.Diagnostics.CodeAnalysis.Experimental("DEMO001")] [Submittable] public static int Preview(int x) => x;
            }

            [System.Obsolete("The whole type.", DiagnosticId = "DEMO002")]
            public static class OldType
            {
                [Submittable] public static int Run(string s) => 0;
            }

            [System.Obsolete]
            public class Legacy { }

            public static class Uses
            {
        #pragma warning disable CS0612
                [Submittable] public static int Mentions(Legacy legacy) => 0;
        #pragma warning restore CS0612
            }
        }
        """, nameof(OddSourceSnapshotTests));

    /// <summary>
    /// Caller-info parameters are filled in where the stub is called; <c>params</c> stays <c>params</c> for generic and
    /// interface-typed arrays; a null default of a type that is not nullable keeps its '!'; a paramref to the parameter a
    /// <c>Then</c> stub takes from its source becomes plain code text.
    /// </summary>
    [Fact]
    public void CallerInfoParamsNullDefaultsAndParamRefs() => GeneratorTest.VerifySnapshot("""
        using System.Runtime.CompilerServices;
        using Pipelines;

        namespace Demo;

        public static class Info
        {
            [Submittable] public static string Where(int depth, [CallerMemberName] string member = "", [CallerLineNumber] int line = 0, [CallerFilePath] string file = "") => member;
            [Submittable] public static string Check(int value, [CallerArgumentExpression("value")] string expression = "") => expression;
            [Submittable] public static int Count<T>(params T[] values) => values.Length;
            [Submittable] public static T Or<T>(T value, T fallback = default!) => value ?? fallback;

            /// <summary>Doubles <paramref name="x"/>, then adds <paramref name="y"/>.</summary>
            /// <param name="x">The value.</param>
            /// <param name="y">Added after <paramref name="x"/> is doubled.</param>
            [Submittable] public static int Double(int x, int y) => 2 * x + y;
        }
        """, nameof(OddSourceSnapshotTests));
}
