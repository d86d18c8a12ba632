namespace Pipelines.Generator.Models;

/// <summary>What the compilation offers, projected to plain values, so a step combined with it stays cached.</summary>
/// <param name="RuntimeReferenced">The Pipelines runtime is referenced: without it nothing is emitted.</param>
/// <param name="RemoteCalls">IRemoteCall and [ModuleInitializer] exist and <c>PipelinesRemoteCalls</c> is not <c>false</c>: calls are made runnable in process pools.</param>
/// <param name="WorkerEntryPoint">
/// The runtime's process-worker entry point, called from the module initializer of an executable (a pool starts its
/// workers from the application itself), or null for libraries and runtimes without process pools.
/// </param>
internal sealed record GeneratorContext(bool RuntimeReferenced, bool RemoteCalls, string? WorkerEntryPoint);
