namespace Pipelines.Generator.Models;

/// <summary>One worker-side invoker to register: the method's identity and where its call class lives.</summary>
internal sealed record RemoteRegistration(string MethodId, string QualifiedStubsClass, string CallClassName);
