using Pipelines.Generator.Tests.Helpers;
using Xunit;

namespace Pipelines.Generator.Tests;

public class GeneratorSnapshotTests
{
    [Fact]
    public void StaticMethodWithDocs() => GeneratorTest.VerifySnapshot("""
        using Pipelines;

        namespace Demo;

        /// <summary>Jobs.</summary>
        public static partial class Jobs
        {
            /// <summary>Adds two numbers.</summary>
            /// <param name="a">The first addend.</param>
            /// <param name="b">The second addend.</param>
            /// <returns>The sum.</returns>
            /// <remarks>See <see cref="System.Math"/>.</remarks>
            [Submittable]
            public static int Add(int a, int b) => a + b;
        }
        """, nameof(GeneratorSnapshotTests));

    [Fact]
    public void InterfaceObjectNullableAndOptionalParameters() => GeneratorTest.VerifySnapshot("""
        using System.Collections.Generic;
        using Pipelines;

        namespace Demo;

        public enum Mode { Fast, Careful = 3 }

        internal class Work
        {
            [Submittable]
            internal static string Run(IReadOnlyList<int> items, object? tag, int? limit, string label = "x", Mode mode = Mode.Careful, double scale = 0.5) => label;
        }
        """, nameof(GeneratorSnapshotTests));

    [Fact]
    public void GenericMethodWithConstraints() => GeneratorTest.VerifySnapshot("""
        using System.Collections.Generic;
        using Pipelines;

        namespace Demo;

        public static class Generic
        {
            [Submittable]
            public static List<T> Pair<T>(T first, T second, int count)
                where T : class, new() => new() { first, second };
        }
        """, nameof(GeneratorSnapshotTests));

    [Fact]
    public void AsyncVoidTaskAndCancellationToken() => GeneratorTest.VerifySnapshot("""
        using System.Threading;
        using System.Threading.Tasks;
        using Pipelines;

        namespace Demo;

        public static class Io
        {
            [Submittable]
            public static Task<string> ReadAsync(string path, CancellationToken cancellationToken) => Task.FromResult(path);

            [Submittable]
            public static ValueTask<int> LengthAsync(string text) => new(text.Length);

            [Submittable]
            public static Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            [Submittable]
            public static void Log(string message) { }
        }
        """, nameof(GeneratorSnapshotTests));

    [Fact]
    public void InstanceMethodNestedTypeCustomNameAndKeywords() => GeneratorTest.VerifySnapshot("""
        using Pipelines;

        namespace Demo;

        public class Outer
        {
            public class Scaler
            {
                [Submittable(Name = "ScaleBy")]
                public int Scale(int @int, string target) => @int;
            }
        }
        """, nameof(GeneratorSnapshotTests));

    [Fact]
    public void GlobalNamespaceAndOverloads() => GeneratorTest.VerifySnapshot("""
        using Pipelines;

        public static class Overloads
        {
            [Submittable]
            public static int Twice(int value) => value * 2;

            [Submittable]
            public static double Twice(double value) => value * 2;
        }
        """, nameof(GeneratorSnapshotTests));

    [Fact]
    public void RemoteCallsTurnedOffByTheMsBuildProperty() => GeneratorTest.VerifySnapshot("""
        using Pipelines;

        namespace Demo;

        public static class Jobs
        {
            [Submittable]
            public static int Add(int a, int b) => a + b;
        }
        """, nameof(GeneratorSnapshotTests), TestOptions.WithProperty("PipelinesRemoteCalls", "false"));

    [Fact]
    public void NullableReferencesOverloadsAndParams() => GeneratorTest.VerifySnapshot("""
        using Pipelines;

        namespace Demo;

        public interface IShape { }

        public sealed record Artifact(string Name);

        public static class Build
        {
            [Submittable]
            public static string Link(string? label, Artifact? artifact, IShape? shape, string name) => name;

            [Submittable]
            public static int SumAll(int first, params int[] rest) => first;

            [Submittable]
            public static int Flush(int timeout = 5) => timeout;
        }
        """, nameof(GeneratorSnapshotTests));

    [Fact]
    public void Labels() => GeneratorTest.VerifySnapshot("""
        using System.Collections.Generic;
        using System.Threading;
        using Pipelines;

        namespace Demo;

        public enum Kind { Page, Post }

        public sealed record Document(string Text);

        public class Site
        {
            [Submittable] public static string Fetch(CancellationToken ct, Document? hint, string url, int attempt) => "";   // the first simple parameter: url
            [Submittable] public static Document Parse(Document raw) => raw;                                    // no simple parameter: inherited
            [Submittable(Label = "{kind} \"{slug}\" {{v{version}}}")] public static string Render(Kind kind, string slug, int? version) => slug;
            [Submittable] public static int Index(List<string> pages) => pages.Count;                           // a collection: inherited (a gathering has none)
            [Submittable] public static int Now() => 0;                                                         // no parameter: no label
            [Submittable] public int Scale(Kind kind) => 0;                                                     // an instance method: its own parameter, not the target
        }
        """, nameof(GeneratorSnapshotTests));

    [Fact]
    public void RetriesAndTimeout() => GeneratorTest.VerifySnapshot("""
        using System.Threading;
        using System.Threading.Tasks;
        using Pipelines;

        namespace Demo;

        public static class Flaky
        {
            [Submittable(Retries = 3, TimeoutMilliseconds = 250)]
            public static Task<int> FetchAsync(int id, CancellationToken cancellationToken) => Task.FromResult(id);

            [Submittable(TimeoutMilliseconds = 1000)]
            public static int Slow(int x) => x;

            [Submittable(Retries = 2, RetryOn = new[] { typeof(System.IO.IOException), typeof(System.TimeoutException), typeof(System.IO.IOException) })]
            public static int Aimed(int x) => x;
        }
        """, nameof(GeneratorSnapshotTests));
}
