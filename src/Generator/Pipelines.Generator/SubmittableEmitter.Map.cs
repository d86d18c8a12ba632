using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>
/// Typed maps: <c>executor.Map{M}(items…)</c> and <c>MapAsync{M}</c> in the stubs class, the method's
/// <c>MapMethod</c> descriptor in its call class, and — where calls can run remotely — its chunk entry
/// (<c>InvokeMapChunk</c>: one remote call runs a chunk of items) and its process-pool initializer factory.
/// </summary>
internal static partial class SubmittableEmitter
{
    private const string Json = "global::System.Text.Json";
    private const string Generic = "global::System.Collections.Generic";

    /// <summary>Methods with a result and at least one argument get typed maps (not <c>dynamic</c>, which has no <c>typeof</c>).</summary>
    internal static bool HasMap(SubmittableMethod method) =>
        method.ReturnKind is ReturnKind.Value or ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT
        && !method.MentionsDynamic
        && method.Parameters.Any(p => p.IsInStub);

    /// <summary>The identity a method's chunk entry is registered under.</summary>
    internal static string ChunkMethodId(string methodId) => methodId + "#map";

    private static void WriteMapStubs(IndentedTextWriter writer, SubmittableMethod method, StubNames names)
    {
        if (!HasMap(method))
        {
            return;
        }

        var items = method.Parameters.Where(p => p.IsInStub).ToList();
        var taken = new HashSet<string>(items.Select(p => p.Name.TrimStart('@'))) { names.Executor };
        string timeout = UniqueName("timeout", taken);
        string bufferSize = UniqueName("bufferSize", taken);
        string chunkSize = UniqueName("chunkSize", taken);
        string descriptor = $"{CallClass(method)}.MapMethod";
        string options = $"global::System.TimeSpan? {timeout} = null, int? {bufferSize} = null, int? {chunkSize} = null";
        foreach (bool isAsync in new[] { false, true })
        {
            string sequence = isAsync ? $"{Generic}.IAsyncEnumerable" : $"{Generic}.IEnumerable";
            string parameters = string.Join(", ", items.Select(p => $"{sequence}<{p.Type}> {p.Name}"));
            string input = items.Count == 1
                ? $"{items[0].Name} ?? throw new global::System.ArgumentNullException(nameof({items[0].Name}))"
                : $"{CallClass(method)}.Zip{(isAsync ? "Async" : string.Empty)}({string.Join(", ", items.Select(p => $"{p.Name} ?? throw new global::System.ArgumentNullException(nameof({p.Name}))"))})";
            WriteMapDocs(writer, method, names, items, isAsync, timeout, bufferSize, chunkSize);
            WriteDeprecation(writer, method);
            writer.WriteLine($"{method.StubAccessibility} static {sequence}<{method.ResultType}> Map{(isAsync ? "Async" : string.Empty)}{method.StubName}{TypeParameterList(method)}(this global::Pipelines.IExecutor {names.Executor}, {parameters}, {options}){Constraints(method)}");
            writer.WriteLine($"    => {descriptor}.Map{(isAsync ? "Async" : string.Empty)}({names.Executor}, {input}, {timeout}, {bufferSize}, {chunkSize});");
            writer.WriteLine();
        }
    }

    private static void WriteMapDocs(IndentedTextWriter writer, SubmittableMethod method, StubNames names, List<ParameterModel> items, bool isAsync, string timeout, string bufferSize, string chunkSize)
    {
        var lines = new List<string> { "<summary>" };
        if (method.Summary is not null)
        {
            lines.AddRange(method.Summary.Split('\n'));
        }

        lines.Add($"<para>Maps <see cref=\"{method.MethodDocumentationId}\"/> over {(items.Count == 1 ? "the items" : "the sequences in step, stopping at the shortest")} on <paramref name=\"{names.Executor}\"/> " +
            $"(Python's <c>executor.map</c>){(isAsync ? ", reading an asynchronous stream and awaiting the results" : string.Empty)}: results in input order, a failed item rethrows at its place, " +
            "stopping early cancels what has not started. On a process pool or a cluster each chunk of items is one remote call.</para>");
        lines.Add("</summary>");
        lines.Add($"<param name=\"{names.Executor}\">The executor that runs the calls.</param>");
        foreach (ParameterModel item in items)
        {
            string doc = !method.IsStatic && item == items[0] ? "The instances whose method runs. "
                : item.Documentation is null ? string.Empty : item.Documentation.Replace("\n", " ") + " ";
            lines.Add($"<param name=\"{item.Name.TrimStart('@')}\">{doc}One value per call{(items.Count == 1 ? string.Empty : ", in step with the other sequences")}.</param>");
        }

        lines.Add($"<param name=\"{timeout}\">The limit for the whole map, from this call; a result not ready by then throws <see cref=\"global::System.TimeoutException\"/>.</param>");
        lines.Add($"<param name=\"{bufferSize}\">How many items may be taken ahead of the consumer; null for all (an endless input needs one).</param>");
        lines.Add($"<param name=\"{chunkSize}\">How many items go in one remote call; null lets the map choose from what it measures. Calls in this process ignore it.</param>");
        lines.Add(isAsync ? "<returns>The results, in input order, as an asynchronous stream; enumerating it starts the work.</returns>" : "<returns>The results, in input order; the work starts at once.</returns>");
        foreach (string line in lines)
        {
            writer.WriteLine("/// " + line);
        }
    }

    /// <summary>The call class's typed-map members: the <c>MapMethod</c> descriptor, the zips, and the chunk entry.</summary>
    private static void WriteMapMembers(IndentedTextWriter writer, SubmittableMethod method, bool remote)
    {
        if (!HasMap(method))
        {
            return;
        }

        var items = method.Parameters.Where(p => p.IsInStub).ToList();
        string item = ItemType(items);
        bool isAsync = method.ReturnKind is not ReturnKind.Value;
        bool chunked = remote && method.IsRemotable;
        string name = method.ContainingType.Replace("global::", string.Empty) + "." + method.MethodName.TrimStart('@');
        writer.WriteLine();
        writer.WriteLine($"internal static readonly {Internals}.MapMethod<{item}, {method.ResultType}> MapMethod = new(");
        writer.WriteLine($"    \"{name}\",");
        string call = Invocation(method, items, i => items.Count == 1 ? "__item" : $"__item.Item{i + 1}", "__cancellationToken");
        if (isAsync)
        {
            writer.WriteLine($"    static (__item, __cancellationToken) => {AsValueTask(method, call)}{(chunked ? "," : ");")}");
        }
        else
        {
            writer.WriteLine($"    static __item => {call.Replace("__cancellationToken", "global::System.Threading.CancellationToken.None")}{(chunked ? "," : ");")}");
        }

        if (chunked)
        {
            writer.WriteLine($"    \"{ChunkMethodId(method.MethodDocumentationId)}\",");
            string converters = string.Concat(items.Select((p, i) => $"var __c{Index(i)} = {Internals}.MapChunks.ConverterOf<{p.Type}>(__options); "));
            var writes = items.Select((_, i) => $"{Internals}.MapChunks.WriteValue(__writer, {(items.Count == 1 ? "__item" : $"__item.Item{i + 1}")}, __c{Index(i)}, __options);").ToList();
            if (items.Count > 1)
            {
                writes.Insert(0, "__writer.WriteStartArray();");
                writes.Add("__writer.WriteEndArray();");
            }

            writer.WriteLine($"    static __options => {{ {converters}return (__writer, __item) => {{ {string.Join(" ", writes)} }}; }});");
        }

        if (items.Count > 1)
        {
            WriteZips(writer, items, item);
        }

        if (chunked)
        {
            WriteChunkEntry(writer, method, items, isAsync);
        }
    }

    /// <summary>The chunk entry: runs the method on every item of a chunk, where the remote executor runs calls.</summary>
    private static void WriteChunkEntry(IndentedTextWriter writer, SubmittableMethod method, List<ParameterModel> items, bool isAsync)
    {
        writer.WriteLine();
        using (writer.WriteBlock($"internal static global::System.Threading.Tasks.ValueTask InvokeMapChunk(global::System.ReadOnlyMemory<byte> arguments, {Json}.JsonSerializerOptions options, {Json}.Utf8JsonWriter result, global::System.Threading.CancellationToken cancellationToken)"))
        {
            for (int i = 0; i < items.Count; i++)
            {
                writer.WriteLine($"var __c{Index(i)} = {Internals}.MapChunks.ConverterOf<{items[i].Type}>(options);");
            }

            string run = isAsync ? $"{Internals}.MapChunks.RunAsync<{method.ResultType}>" : $"{Internals}.MapChunks.Run<{method.ResultType}>";
            string lambda = $"(ref {Json}.Utf8JsonReader __reader) =>";
            if (items.Count == 1)
            {
                string call = Invocation(method, items, _ => $"{Internals}.MapChunks.ReadCurrent(ref __reader, __c0, options)", "cancellationToken");
                writer.WriteLine($"return {run}(arguments, options, result, cancellationToken, {lambda} {(isAsync ? AsValueTask(method, call) : call)});");
                return;
            }

            writer.WriteLine($"return {run}(arguments, options, result, cancellationToken, {lambda}");
            using (writer.WriteBlock(null, "});"))
            {
                writer.WriteLine($"{Internals}.MapChunks.StartItem(ref __reader);");
                for (int i = 0; i < items.Count; i++)
                {
                    writer.WriteLine($"var __a{Index(i)} = {Internals}.MapChunks.ReadValue(ref __reader, __c{Index(i)}, options);");
                }

                writer.WriteLine($"{Internals}.MapChunks.EndItem(ref __reader);");
                string call = Invocation(method, items, i => $"__a{Index(i)}", "cancellationToken");
                writer.WriteLine($"return {(isAsync ? AsValueTask(method, call) : call)};");
            }
        }
    }

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    /// <summary>Zips the sequences of a method with several arguments into tuples, stopping at the shortest (Python's <c>map(fn, *iterables)</c>).</summary>
    private static void WriteZips(IndentedTextWriter writer, List<ParameterModel> items, string item)
    {
        string tuple = "(" + string.Join(", ", items.Select((_, i) => $"__e{Index(i)}.Current")) + ")";
        writer.WriteLine();
        using (writer.WriteBlock($"internal static {Generic}.IEnumerable<{item}> Zip({string.Join(", ", items.Select((p, i) => $"{Generic}.IEnumerable<{p.Type}> __s{Index(i)}"))})"))
        {
            for (int i = 0; i < items.Count; i++)
            {
                writer.WriteLine($"using var __e{Index(i)} = __s{Index(i)}.GetEnumerator();");
            }

            writer.WriteLine($"while ({string.Join(" && ", items.Select((_, i) => $"__e{Index(i)}.MoveNext()"))})");
            writer.WriteLine("{");
            writer.WriteLine($"    yield return {tuple};");
            writer.WriteLine("}");
        }

        writer.WriteLine();
        using (writer.WriteBlock($"internal static async {Generic}.IAsyncEnumerable<{item}> ZipAsync({string.Join(", ", items.Select((p, i) => $"{Generic}.IAsyncEnumerable<{p.Type}> __s{Index(i)}"))}, [global::System.Runtime.CompilerServices.EnumeratorCancellation] global::System.Threading.CancellationToken __cancellationToken = default)"))
        {
            for (int i = 0; i < items.Count; i++)
            {
                writer.WriteLine($"await using var __e{Index(i)} = __s{Index(i)}.GetAsyncEnumerator(__cancellationToken);");
            }

            writer.WriteLine($"while ({string.Join(" && ", items.Select((_, i) => $"await __e{Index(i)}.MoveNextAsync().ConfigureAwait(false)"))})");
            writer.WriteLine("{");
            writer.WriteLine($"    yield return {tuple};");
            writer.WriteLine("}");
        }
    }

    /// <summary>A process-pool initializer factory: the method and its arguments, by identity and as JSON.</summary>
    private static void WriteInitializerFactory(IndentedTextWriter writer, SubmittableMethod method, StubNames names)
    {
        var arguments = method.Parameters.Where(p => p.IsInStub).ToList();
        var lines = new List<string> { "<summary>" };
        if (method.Summary is not null)
        {
            lines.AddRange(method.Summary.Split('\n'));
        }

        lines.Add($"<para>An initializer for a <see cref=\"global::Pipelines.ProcessPoolExecutor\"/> (Python's <c>initializer</c>/<c>initargs</c>): each worker " +
            $"process runs <see cref=\"{method.MethodDocumentationId}\"/> with these arguments once, before its first call; if it throws, the pool is broken.</para>");
        lines.Add("</summary>");
        foreach (ParameterModel argument in arguments)
        {
            lines.Add($"<param name=\"{argument.Name.TrimStart('@')}\">{argument.Documentation?.Replace("\n", " ") ?? "The argument."}</param>");
        }

        lines.Add("<returns>The initializer, for <c>new ProcessPoolExecutor(initializer: …)</c>.</returns>");
        foreach (string line in lines)
        {
            writer.WriteLine("/// " + line);
        }

        WriteDeprecation(writer, method);
        string parameters = string.Join(", ", arguments.Select(p => (p.IsParams ? "params " : string.Empty) + $"{p.Type} {p.Name}" + (p.IsOptional ? $" = {p.DefaultValue}" : string.Empty)));
        writer.WriteLine($"{method.StubAccessibility} static global::Pipelines.ProcessPoolInitializer Initialize{method.StubName}({parameters})");
        var writes = new List<string> { "__writer.WriteStartArray();" };
        writes.AddRange(arguments.Select(a => $"{Json}.JsonSerializer.Serialize(__writer, {a.Name}, {TypeInfo(a.Type, a.TypeOfType).Replace("options.", "__options.")});"));
        writes.Add("__writer.WriteEndArray();");
        writer.WriteLine($"    => new(\"{method.MethodDocumentationId}\", (__writer, __options) => {{ {string.Join(" ", writes)} }});");
        writer.WriteLine();
    }

    /// <summary>The method called with the item's values (<paramref name="value"/> of each stub parameter) and the token for a CancellationToken parameter.</summary>
    private static string Invocation(SubmittableMethod method, List<ParameterModel> items, System.Func<int, string> value, string token)
    {
        var arguments = new List<string>();
        int index = 0;
        foreach (ParameterModel parameter in method.Parameters)
        {
            // A [DisallowNull] parameter is given its item asserted not null, as the stubs' calls do (every item is a primary expression).
            arguments.Add(parameter.Kind == ParameterKind.CancellationToken ? token
                : parameter.NullState == NullState.Disallowed ? value(index++) + "!"
                : value(index++));
        }

        string target = method.IsStatic ? method.ContainingType : arguments[0];
        IEnumerable<string> passed = method.IsStatic ? arguments : arguments.Skip(1);
        return $"{target}.{method.MethodName}{TypeParameterList(method)}({string.Join(", ", passed)})";
    }

    private static string AsValueTask(SubmittableMethod method, string call) =>
        method.ReturnKind == ReturnKind.ValueTaskOfT ? call : $"new global::System.Threading.Tasks.ValueTask<{method.ResultType}>({call})";

    private static string ItemType(List<ParameterModel> items) =>
        items.Count == 1 ? items[0].Type : "(" + string.Join(", ", items.Select(p => p.Type)) + ")";

    private static string UniqueName(string name, HashSet<string> taken)
    {
        string candidate = name;
        for (int i = 1; taken.Contains(candidate); i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }

        taken.Add(candidate);
        return candidate;
    }
}
