using Xunit;

namespace Pipelines.Tests;

/// <summary>Tests that watch process-wide state (standard error, the static unobserved-callback event) run alone.</summary>
[CollectionDefinition(nameof(ProcessWide), DisableParallelization = true)]
public sealed class ProcessWide
{
}
