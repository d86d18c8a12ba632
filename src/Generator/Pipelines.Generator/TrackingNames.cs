namespace Pipelines.Generator;

/// <summary>Names of the incremental steps, for caching tests (<c>trackIncrementalGeneratorSteps</c>).</summary>
internal static class TrackingNames
{
    public const string RemoteCallsOption = nameof(RemoteCallsOption);
    public const string RuntimeReferenced = nameof(RuntimeReferenced);
    public const string Methods = nameof(Methods);
    public const string Collisions = nameof(Collisions);
    public const string MethodsWithContext = nameof(MethodsWithContext);
    public const string OutputNames = nameof(OutputNames);
    public const string StubsClasses = nameof(StubsClasses);
    public const string RemoteRegistrations = nameof(RemoteRegistrations);
}
