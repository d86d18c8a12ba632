using System;
using Pipelines.Diagnostics;

namespace Pipelines.Benchmarks;

internal static class DashboardPage
{
    public static IDisposable Open() => PipelineMonitor.Start();
}
