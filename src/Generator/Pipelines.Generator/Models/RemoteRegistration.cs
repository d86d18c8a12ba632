namespace Pipelines.Generator.Models;

/// <summary>One worker-side invoker to register: the method's identity and where its call class lives.</summary>
/// <param name="MethodId">The method's documentation ID, as a process pool names it.</param>
/// <param name="QualifiedStubsClass">The stubs class, fully qualified.</param>
/// <param name="CallClassName">The call class inside it, whose <c>InvokeRemote</c> runs the method from JSON.</param>
/// <param name="IsObsolete">The call class is marked obsolete (its method is): naming it needs a pragma.</param>
/// <param name="HasMapChunk">The call class also has a typed map's chunk entry, <c>InvokeMapChunk</c>.</param>
internal sealed record RemoteRegistration(string MethodId, string QualifiedStubsClass, string CallClassName, bool IsObsolete = false, bool HasMapChunk = false);
