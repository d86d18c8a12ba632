using System;
using System.Collections.Generic;
using System.Linq;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>The assembly's module initializer for process pools.</summary>
internal static partial class SubmittableEmitter
{
    /// <summary>
    /// One module initializer for the assembly: registers every method's worker-side invoker, then lets a process
    /// started as a pool worker run its loop (before Main; a normal start returns at once).
    /// </summary>
    public static string EmitRemoteRegistrations(EquatableArray<RemoteRegistration> registrations, string? workerEntryPoint)
    {
        var writer = new IndentedTextWriter();
        WriteHeader(writer);
        using (writer.WriteBlock("namespace Pipelines.Generated"))
        {
            writer.WriteLine("/// <summary>Registers this assembly's [Submittable] methods for process pools.</summary>");
            writer.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"{GeneratorName}\", \"{GeneratorVersion}\")]");
            using (writer.WriteBlock("internal static class RemoteCallRegistrations"))
            {
                writer.WriteLine("[global::System.Runtime.CompilerServices.ModuleInitializer]");
                using (writer.WriteBlock("internal static void Register()"))
                {
                    foreach (RemoteRegistration registration in registrations)
                    {
                        if (registration.IsObsolete)
                        {
                            writer.WriteLine("#pragma warning disable CS0612 // the call class of an obsolete method is obsolete too");
                        }

                        writer.WriteLine($"{Remoting}.RemoteCalls.Register(\"{registration.MethodId}\", {registration.QualifiedStubsClass}.{registration.CallClassName}.InvokeRemote);");
                        if (registration.HasMapChunk)
                        {
                            writer.WriteLine($"{Remoting}.RemoteCalls.Register(\"{ChunkMethodId(registration.MethodId)}\", {registration.QualifiedStubsClass}.{registration.CallClassName}.InvokeMapChunk);");
                        }

                        if (registration.IsObsolete)
                        {
                            writer.WriteLine("#pragma warning restore CS0612");
                        }
                    }

                    if (workerEntryPoint is not null)
                    {
                        writer.WriteLine($"{workerEntryPoint}();");
                    }
                }
            }
        }

        return writer.ToString();
    }
}
