using System;
using System.Collections.Generic;
using System.Linq;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>The call class: the future, the work item and the arguments in one object.</summary>
internal static partial class SubmittableEmitter
{
    private static void WriteCallClass(IndentedTextWriter writer, SubmittableMethod method, StubNames names, bool remote)
    {
        bool isAsync = method.ReturnKind is not (ReturnKind.Value or ReturnKind.Void);
        string baseClass = $"{Internals}.{(isAsync ? "AsyncCallFuture" : "CallFuture")}<{method.ResultType}>";
        IEnumerable<ParameterModel> stored = method.Parameters.Where(p => p.IsInStub);

        writer.WriteLine($"/// <summary>A call of <see cref=\"{method.MethodDocumentationId}\"/>: the future, the work item and the arguments in one object.</summary>");
        writer.WriteLine("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        if (method.Deprecation?.IsObsolete == true)
        {
            // An obsolete declaration is a context where no obsolete use is reported, even an error-level one.
            writer.WriteLine("[global::System.Obsolete]");
        }

        string remoteInterface = remote ? $", {Remoting}.IRemoteCall" : string.Empty;
        using (writer.WriteBlock($"internal sealed class {method.CallClassName}{TypeParameterList(method)} : {baseClass}{remoteInterface}{Constraints(method)}"))
        {
            foreach (ParameterModel parameter in stored)
            {
                writer.WriteLine($"private {FutureOr}<{parameter.Type}> {Field(parameter)};");
            }

            writer.WriteLine();
            string ctorParameters = string.Concat(stored.Select(p => $", {FutureOr}<{p.Type}> {p.Name}"));
            writer.WriteLine($"public {method.CallClassName}(global::Pipelines.IExecutor {names.Executor}{ctorParameters})");
            writer.WriteLine($"    : base({names.Executor})");
            using (writer.WriteBlock())
            {
                foreach (ParameterModel parameter in stored)
                {
                    writer.WriteLine($"{Field(parameter)} = {parameter.Name};");
                }

                // 'this.': a parameter of the method may be named DependOn or Start, and would hide the base's methods.
                foreach (ParameterModel parameter in stored)
                {
                    writer.WriteLine($"this.DependOn({parameter.Name}.Future);");
                }

                writer.WriteLine("this.Start();");
            }

            writer.WriteLine();
            string call = Invocation(method);
            switch (method.ReturnKind)
            {
                case ReturnKind.Value:
                    writer.WriteLine($"protected override {method.ResultType} Invoke() => {call};");
                    break;
                case ReturnKind.Void:
                    using (writer.WriteBlock($"protected override {method.ResultType} Invoke()"))
                    {
                        writer.WriteLine($"{call};");
                        writer.WriteLine("return default;");
                    }

                    break;
                case ReturnKind.Task or ReturnKind.ValueTask:
                    writer.WriteLine($"protected override global::System.Threading.Tasks.ValueTask<{method.ResultType}> InvokeAsync() => {Internals}.VoidTasks.From({call});");
                    break;
                case ReturnKind.TaskOfT:
                    writer.WriteLine($"protected override global::System.Threading.Tasks.ValueTask<{method.ResultType}> InvokeAsync() => new global::System.Threading.Tasks.ValueTask<{method.ResultType}>({call});");
                    break;
                case ReturnKind.ValueTaskOfT:
                    writer.WriteLine($"protected override global::System.Threading.Tasks.ValueTask<{method.ResultType}> InvokeAsync() => {call};");
                    break;
            }

            if (method.Retries > 0)
            {
                writer.WriteLine();
                writer.WriteLine($"protected override int Retries => {method.Retries.ToString(System.Globalization.CultureInfo.InvariantCulture)};");
            }

            if (method.RetryOn.Count > 0)
            {
                writer.WriteLine();
                writer.WriteLine($"protected override bool ShouldRetry(global::System.Exception exception) => {string.Join(" || ", method.RetryOn.Select(type => $"exception is {type}"))};");
            }

            if (method.TimeoutMilliseconds > 0)
            {
                writer.WriteLine();
                writer.WriteLine($"protected override int TimeoutMilliseconds => {method.TimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)};");
            }

            WriteLabel(writer, method);
            if (remote)
            {
                WriteRemoteMembers(writer, method);
            }

            WriteMapMembers(writer, method, remote);

            if (stored.Any())
            {
                writer.WriteLine();
                using (writer.WriteBlock("protected override void ReleaseArguments()"))
                {
                    foreach (ParameterModel parameter in stored)
                    {
                        writer.WriteLine($"{Field(parameter)} = default;");
                    }
                }
            }
        }
    }

    /// <summary>The method call inside the call class, arguments read from the fields (futures have succeeded by then).</summary>
    private static string Invocation(SubmittableMethod method)
    {
        string target = method.IsStatic ? method.ContainingType : $"{Field(method.Parameters[0])}.GetResult()";
        IEnumerable<string> arguments = method.Parameters
            .Skip(method.IsStatic ? 0 : 1)
            .Select(p => p.Kind == ParameterKind.CancellationToken ? "CancellationToken" : MethodArgument(p));
        return $"{target}.{method.MethodName}{TypeParameterList(method)}({string.Join(", ", arguments)})";
    }

    /// <summary>An argument's value: the caller's, or the method's own default when the caller left it out.</summary>
    private static string ArgumentValue(ParameterModel parameter) =>
        parameter.IsOptional
            ? $"{Field(parameter)}.IsSpecified ? {Field(parameter)}.GetResult() : {parameter.DefaultValue}"
            : $"{Field(parameter)}.GetResult()";

    /// <summary>The argument of the method call: its value, asserted not null where the method's parameter is <c>[DisallowNull]</c> (its stubs' callers were told so).</summary>
    private static string MethodArgument(ParameterModel parameter) =>
        parameter.NullState != NullState.Disallowed ? ArgumentValue(parameter)
        : parameter.IsOptional ? $"({ArgumentValue(parameter)})!"
        : ArgumentValue(parameter) + "!";
}
