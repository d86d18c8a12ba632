using System;
using System.Collections.Generic;
using System.Linq;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>The call class's process-pool members: <c>IRemoteCall</c> on the caller's side, <c>InvokeRemote</c> on the worker's.</summary>
internal static partial class SubmittableEmitter
{
    /// <summary>
    /// <c>IRemoteCall</c>: the arguments out as JSON on the caller's side; <c>InvokeRemote</c> runs the method from
    /// JSON on the worker's side. Type metadata comes from the options' resolver, so a source-generated
    /// <c>JsonSerializerContext</c> keeps both free of reflection.
    /// </summary>
    private static void WriteRemoteMembers(IndentedTextWriter writer, SubmittableMethod method)
    {
        const string Json = "global::System.Text.Json";
        var stored = method.Parameters.Where(p => p.IsInStub).ToList();
        writer.WriteLine();
        writer.WriteLine($"public string MethodId => \"{method.MethodDocumentationId}\";");
        writer.WriteLine();
        writer.WriteLine($"public int ArgumentCount => {stored.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)};");
        writer.WriteLine();
        string outOfRange = $"throw new global::System.ArgumentOutOfRangeException(nameof(index), index, \"The call has {stored.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} argument(s).\")";
        using (writer.WriteBlock($"public {Future}? GetArgumentFuture(int index)"))
        {
            using (writer.WriteBlock("switch (index)"))
            {
                for (int i = 0; i < stored.Count; i++)
                {
                    writer.WriteLine($"case {i.ToString(System.Globalization.CultureInfo.InvariantCulture)}:");
                    writer.WriteLine($"    return {Field(stored[i])}.Future;");
                }

                writer.WriteLine("default:");
                writer.WriteLine($"    {outOfRange};");
            }
        }

        writer.WriteLine();
        using (writer.WriteBlock($"public void WriteArgument(int index, {Json}.Utf8JsonWriter writer, {Json}.JsonSerializerOptions options)"))
        {
            using (writer.WriteBlock("switch (index)"))
            {
                for (int i = 0; i < stored.Count; i++)
                {
                    ParameterModel parameter = stored[i];
                    writer.WriteLine($"case {i.ToString(System.Globalization.CultureInfo.InvariantCulture)}:");
                    writer.WriteLine($"    {Json}.JsonSerializer.Serialize(writer, {ArgumentValue(parameter)}, {TypeInfo(parameter.Type, parameter.TypeOfType)});");
                    writer.WriteLine("    break;");
                }

                writer.WriteLine("default:");
                writer.WriteLine($"    {outOfRange};");
            }
        }

        writer.WriteLine();
        bool isAsync = method.ReturnKind is not (ReturnKind.Value or ReturnKind.Void);
        string signature = $"internal static {(isAsync ? "async " : string.Empty)}global::System.Threading.Tasks.ValueTask InvokeRemote(global::System.ReadOnlyMemory<byte> arguments, {Json}.JsonSerializerOptions options, {Json}.Utf8JsonWriter result, global::System.Threading.CancellationToken cancellationToken)";
        using (writer.WriteBlock(signature))
        {
            var arguments = new List<string>();
            int index = 0;
            if (method.Parameters.Any(p => p.Kind != ParameterKind.CancellationToken))
            {
                // Not named like a parameter's local ("__" + its name), so no parameter can take the name.
                writer.WriteLine($"using {Json}.JsonDocument document = {Json}.JsonDocument.Parse(arguments);");
            }

            foreach (ParameterModel parameter in method.Parameters)
            {
                if (parameter.Kind == ParameterKind.CancellationToken)
                {
                    arguments.Add("cancellationToken");
                    continue;
                }

                writer.WriteLine($"{parameter.Type} {Local(parameter)} = {Json}.JsonSerializer.Deserialize(document.RootElement[{index++}], {TypeInfo(parameter.Type, parameter.TypeOfType)})!;");
                arguments.Add(Local(parameter));
            }

            string call = $"{method.ContainingType}.{method.MethodName}({string.Join(", ", arguments)})";
            switch (method.ReturnKind)
            {
                case ReturnKind.Value:
                    writer.WriteLine($"{Json}.JsonSerializer.Serialize(result, {call}, {TypeInfo(method.ResultType, method.ResultTypeOfType)});");
                    writer.WriteLine("return default;");
                    break;
                case ReturnKind.Void:
                    writer.WriteLine($"{call};");
                    writer.WriteLine("result.WriteNullValue();");
                    writer.WriteLine("return default;");
                    break;
                case ReturnKind.Task or ReturnKind.ValueTask:
                    writer.WriteLine($"await {call}.ConfigureAwait(false);");
                    writer.WriteLine("result.WriteNullValue();");
                    break;
                default:
                    writer.WriteLine($"{Json}.JsonSerializer.Serialize(result, await {call}.ConfigureAwait(false), {TypeInfo(method.ResultType, method.ResultTypeOfType)});");
                    break;
            }
        }
    }

    private static string TypeInfo(string type, string typeOfType) =>
        $"(global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{type}>)options.GetTypeInfo(typeof({typeOfType}))";

    private static string Local(ParameterModel parameter) => "__" + parameter.Name.TrimStart('@');
}
