using System;
using System.Linq;
using BenchmarkDotNet.Running;

namespace Pipelines.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Pipelines.Benchmarks -- --quick</c>: the Stopwatch harness, one line per comparison.
/// <c>dotnet run -c Release --project benchmarks/Pipelines.Benchmarks -- --filter *</c>: the BenchmarkDotNet classes.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--quick"))
        {
            return Quick.Run();
        }

        if (args.Contains("--breakdown"))
        {
            return Quick.Breakdown();
        }

        if (args.Contains("--generator"))
        {
            Quick.GeneratorTimes();
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
