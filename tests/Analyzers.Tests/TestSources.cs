namespace Pipelines.Analyzers.Tests;

/// <summary>
/// Source shared by the tests: usings, and a hand-written stand-in for generated stubs, marked <c>[StubFor]</c> as the
/// generator marks them (the one way the analyzers recognise a stub).
/// </summary>
internal static class TestSources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Pipelines;

        """;

    public const string Stubs = """

        namespace N
        {
            [global::System.CodeDom.Compiler.GeneratedCode("Pipelines.Generator", "0.1.0")]
            public static partial class JobsStubs
            {
                [global::Pipelines.Internals.StubFor("M:N.Jobs.Add(System.Int32,System.Int32)", true)]
                public static global::Pipelines.Future<int> SubmitAdd(this global::Pipelines.IExecutor executor, global::Pipelines.FutureOr<int> a, global::Pipelines.FutureOr<int> b) => throw new global::System.NotImplementedException();
                [global::Pipelines.Internals.StubFor("M:N.Jobs.Add(System.Int32,System.Int32)", true)]
                public static global::Pipelines.Future<int> ThenAdd(this global::Pipelines.Future<int> source, global::Pipelines.FutureOr<int> b) => throw new global::System.NotImplementedException();
                [global::Pipelines.Internals.StubFor("M:N.Jobs.Apply(System.Func{System.Int32})", true)]
                public static global::Pipelines.Future<int> SubmitApply(this global::Pipelines.IExecutor executor, global::Pipelines.FutureOr<global::System.Func<int>> function) => throw new global::System.NotImplementedException();
            }
        }

        namespace Hand
        {
            // Same shape as a stub, but without [StubFor]: not a stub.
            public static class HandWritten
            {
                public static global::Pipelines.Future<int> SubmitTwice(this global::Pipelines.IExecutor executor, global::Pipelines.FutureOr<int> a) => throw new global::System.NotImplementedException();
            }
        }
        """;

    /// <summary>The test's code (a namespace or classes using <c>N</c>) with the usings before and the stubs after.</summary>
    public static string With(string code) => Usings + "using N;\nusing Hand;\n\n" + code + Stubs;
}
