using System;
using System.Linq;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>Typed initializers: a [Submittable] method and its arguments, run once in each worker before its first call.</summary>
public sealed class InitializerTests
{
    [Fact]
    public void EachWorkerRunsTheInitializerOnceBeforeItsFirstCall()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, maxTasksPerChild: 2, initializer: JobsStubs.InitializeSetUp("ready", 7));
        string?[] states = Enumerable.Range(0, 4).Select(_ => pool.SubmitSetUpState().GetResult(Wait.Long)).ToArray();
        Assert.All(states, state => Assert.StartsWith("ready-7/1/", state)); // set up once per process
        Assert.Equal(2, states.Distinct().Count());                          // two workers (recycled after two calls)
        Assert.Equal("M:Pipelines.ProcessPoolTests.Jobs.SetUp(System.String,System.Int32)", pool.Initializer!.MethodId);
    }

    [Fact]
    public void AThrowingInitializerBreaksThePoolWithTheWorkersException()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2, initializer: JobsStubs.InitializeFailSetUp("no database"));
        Future<int> first = pool.SubmitAdd(1, 2);
        Future<int> second = pool.SubmitAdd(3, 4);

        var error = Assert.IsType<BrokenProcessPoolException>(first.GetException(Wait.Long));
        Assert.Contains("initializer", error.Message);
        Assert.Contains("Jobs.FailSetUp", error.Message);
        var cause = Assert.IsType<ArgumentException>(error.InnerException);
        Assert.Equal("configuration", cause.ParamName);
        Assert.StartsWith("no database", cause.Message);

        Assert.IsType<BrokenProcessPoolException>(second.GetException(Wait.Long));
        Assert.True(pool.IsBroken);
        var refused = Assert.Throws<BrokenProcessPoolException>(() => pool.SubmitAdd(1, 1));
        Assert.IsType<ArgumentException>(refused.InnerException);
    }

    [Fact]
    public void InitializerArgumentsThatDoNotSerializeAreRefusedAtOnce()
    {
        var options = new System.Text.Json.JsonSerializerOptions { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
        options.Converters.Add(new RefusingConverter());
        var error = Assert.Throws<ArgumentException>(() => new ProcessPoolExecutor(maxWorkers: 1, jsonOptions: options, initializer: JobsStubs.InitializeSetUp("x", 1)));
        Assert.Equal("initializer", error.ParamName);
    }

    private sealed class RefusingConverter : System.Text.Json.Serialization.JsonConverter<string>
    {
        public override string Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(System.Text.Json.Utf8JsonWriter writer, string value, System.Text.Json.JsonSerializerOptions options) => throw new NotSupportedException("strings do not travel here");
    }
}
