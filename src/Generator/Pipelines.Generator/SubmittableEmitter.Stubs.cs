using System;
using System.Collections.Generic;
using System.Linq;
using Pipelines.Generator.Helpers;
using Pipelines.Generator.Models;

namespace Pipelines.Generator;

/// <summary>The <c>Submit…</c>/<c>Then…</c> stubs: signatures, parameters and the call each one makes.</summary>
internal static partial class SubmittableEmitter
{
    private static void WriteSubmitStub(IndentedTextWriter writer, SubmittableMethod method, StubNames names, Shape shape, bool runsRemotely)
    {
        List<StubParameter> parameters = StubParameters(method, shape, names);
        parameters.Insert(0, new StubParameter($"this global::Pipelines.IExecutor", names.Executor, null, Oblivious: false, IsParams: false));
        WriteDocs(writer, method, names, shape);
        WriteStubFor(writer, method, runsRemotely);
        WriteSignature(writer, $"{method.StubAccessibility} static {FutureType(method)} Submit{method.StubName}{TypeParameterList(method)}", parameters, Constraints(method));
        string arguments = CallArguments(method, shape, sourceName: null);
        writer.WriteLine($"    => new {CallClass(method)}({names.Executor}{Prefix(arguments)});");
    }

    private static void WriteThenStub(IndentedTextWriter writer, SubmittableMethod method, StubNames names, Shape shape, bool runsRemotely)
    {
        ParameterModel source = method.Parameters[names.ThenSourceIndex];
        List<StubParameter> parameters = StubParameters(method, shape, names);
        bool oblivious = source.IsNullableReference && source.HasPlainForm && source.Kind is ParameterKind.FutureOr or ParameterKind.InterfacePair;
        parameters.Insert(0, new StubParameter($"this {Future}<{(oblivious ? source.TypeOfType : source.Type)}>", names.Source, null, oblivious, IsParams: false));
        WriteDocs(writer, method, names, shape);
        WriteStubFor(writer, method, runsRemotely);
        WriteSignature(writer, $"{method.StubAccessibility} static {FutureType(method)} Then{method.StubName}{TypeParameterList(method)}", parameters, Constraints(method));
        string arguments = CallArguments(method, shape, sourceName: names.Source);
        writer.WriteLine($"    => new {CallClass(method)}({Internals}.Stubs.ExecutorOf({names.Source}){Prefix(arguments)});");
    }

    /// <summary>
    /// The stub's signature on one line; or, when a parameter must be nullable-oblivious, one parameter per line with
    /// that parameter between <c>#nullable disable annotations</c> and <c>#nullable enable annotations</c>.
    /// </summary>
    private static void WriteSignature(IndentedTextWriter writer, string head, List<StubParameter> parameters, string constraints)
    {
        if (!parameters.Any(p => p.Oblivious))
        {
            writer.WriteLine($"{head}({string.Join(", ", parameters.Select(p => p.ToString()))}){constraints}");
            return;
        }

        writer.WriteLine($"{head}(");
        for (int i = 0; i < parameters.Count; i++)
        {
            StubParameter parameter = parameters[i];
            bool last = i == parameters.Count - 1;
            if (parameter.Oblivious && (i == 0 || !parameters[i - 1].Oblivious))
            {
                writer.WriteLine("#nullable disable annotations");
            }

            if (!parameter.Oblivious)
            {
                writer.WriteLine($"    {parameter}{(last ? ")" + constraints : ",")}");
                continue;
            }

            writer.WriteLine($"    {parameter}{(last ? string.Empty : ",")}");
            if (last || !parameters[i + 1].Oblivious)
            {
                writer.WriteLine("#nullable enable annotations");
            }

            if (last)
            {
                writer.WriteLine($"    ){constraints}");
            }
        }
    }

    /// <summary>
    /// Tells analyzers which method a stub calls, and whether process pools can run it; repeats the method's
    /// <c>[Obsolete]</c>/<c>[Experimental]</c>, so a stub is called with the same warnings as the method.
    /// </summary>
    private static void WriteStubFor(IndentedTextWriter writer, SubmittableMethod method, bool runsRemotely)
    {
        writer.WriteLine($"[{Internals}.StubFor(\"{method.MethodDocumentationId}\", {(runsRemotely ? "true" : "false")})]");
        WriteDeprecation(writer, method);
    }

    /// <summary>Repeats the method's <c>[Obsolete]</c>/<c>[Experimental]</c> on a member generated for it.</summary>
    private static void WriteDeprecation(IndentedTextWriter writer, SubmittableMethod method)
    {
        foreach (string attribute in method.Deprecation?.StubAttributes ?? EquatableArray<string>.Empty)
        {
            writer.WriteLine(attribute);
        }
    }

    /// <summary>
    /// The stub's own parameters (after the executor or source). In the plain form, <c>FutureOr</c> parameters are
    /// declared as their own types, so calls with plain values resolve, convert and warn exactly as calls of the method
    /// do (overloads, <c>params</c>, nullability naming the stub's parameter); futures go to the other form.
    /// </summary>
    /// <remarks>
    /// A caller-info parameter (<c>[CallerMemberName]</c>…) is a plain value with its attribute in every form, so the
    /// compiler fills it in where the stub is called, as it would where the method is called. A <c>params</c> parameter
    /// stays <c>params</c> wherever it is declared as its own type.
    /// </remarks>
    private static List<StubParameter> StubParameters(SubmittableMethod method, Shape shape, StubNames names)
    {
        int skip = shape.Skip;
        bool plain = shape.Plain;
        var parameters = new List<StubParameter>();
        int firstDiffering = -1;
        bool allDifferingOptional = true;
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            ParameterModel parameter = method.Parameters[i];
            if (i == skip || !parameter.IsInStub)
            {
                continue;
            }

            bool asFuture = shape.TakesFuture(i);
            bool differs = parameter.Kind == ParameterKind.FutureOr && parameter.HasPlainForm && !parameter.IsCallerInfo;
            if (parameter.IsCallerInfo)
            {
                parameters.Add(new StubParameter(parameter.Type, parameter.Name, parameter.DefaultValue, Oblivious: false, IsParams: false, CallerAttributes(method, shape, names, parameter), NullStateAttribute(parameter)));
                continue;
            }

            if (shape.TakesFutures(i))
            {
                // Futures of the elements; no default: a collection left out is the plain forms' business.
                parameters.Add(new StubParameter($"global::System.Collections.Generic.IEnumerable<{Future}<{parameter.CollectionElement}>>", parameter.Name, null, Oblivious: false, IsParams: false));
                allDifferingOptional &= !differs || parameter.IsOptional;
                if (differs && firstDiffering < 0)
                {
                    firstDiffering = parameters.Count - 1;
                }

                continue;
            }

            bool asPlain = plain && differs;
            if (differs && firstDiffering < 0)
            {
                firstDiffering = parameters.Count;
            }

            allDifferingOptional &= !differs || parameter.IsOptional;

            // A future of T or of T? must pass to a T? parameter without a nullability warning: declare it oblivious.
            // (Not for object and the like: there a future also converts as a value, and the two conversions would be ambiguous.)
            bool oblivious = parameter.IsNullableReference && parameter.HasPlainForm && !asPlain
                && (parameter.Kind == ParameterKind.FutureOr || (parameter.Kind == ParameterKind.InterfacePair && asFuture));
            string argumentType = oblivious ? parameter.TypeOfType : parameter.Type;
            string type = parameter.Kind switch
            {
                ParameterKind.FutureOr when asPlain => parameter.Type,
                ParameterKind.FutureOr => $"{FutureOr}<{argumentType}>",
                ParameterKind.InterfacePair when asFuture => $"global::Pipelines.FutureArg<{argumentType}>",
                ParameterKind.GenericPair when asFuture => $"{Future}<{parameter.Type}>",
                _ => parameter.Type,
            };

            // FutureOr's default means "not passed": the call substitutes the method's own default. A plain parameter
            // repeats the method's default (a constant); a future one has none.
            string? defaultValue = !parameter.IsOptional || asFuture ? null
                : parameter.Kind == ParameterKind.FutureOr && !asPlain ? "default"
                : parameter.DefaultValue;
            bool ownType = asPlain || (parameter.Kind is ParameterKind.InterfacePair or ParameterKind.GenericPair && !asFuture);
            parameters.Add(new StubParameter(type, parameter.Name, defaultValue, oblivious, ownType && parameter.IsParams, Nullability: ownType ? NullStateAttribute(parameter) : null));
        }

        // Beside a plain twin, a call that leaves out every parameter the two forms differ in would match both equally
        // (CS0121): the futures form then requires the first of them.
        if (shape.HasPlainTwin && !plain && allDifferingOptional && firstDiffering >= 0)
        {
            parameters[firstDiffering] = parameters[firstDiffering] with { Default = null };
        }

        // C# needs optional parameters last (a params array may follow): a required one drops the defaults before it, and
        // with its default a caller-info parameter drops its attribute (the compiler fills in optional parameters only).
        bool tailOptional = true;
        for (int i = parameters.Count - 1; i >= 0; i--)
        {
            tailOptional &= parameters[i].Default is not null || parameters[i].IsParams;
            if (!tailOptional)
            {
                parameters[i] = parameters[i] with { Default = null, Attributes = null };
            }
        }

        return parameters;
    }

    /// <summary>Arguments for the call class's constructor, each converted to <c>FutureOr&lt;T&gt;</c>.</summary>
    private static string CallArguments(SubmittableMethod method, Shape shape, string? sourceName)
    {
        int skip = shape.Skip;
        var arguments = new List<string>();
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            ParameterModel parameter = method.Parameters[i];
            if (!parameter.IsInStub)
            {
                continue;
            }

            if (i == skip)
            {
                arguments.Add($"{FutureOr}<{parameter.Type}>.FromFuture({sourceName})");
                continue;
            }

            if (shape.TakesFutures(i))
            {
                string gather = parameter.Collection switch
                {
                    CollectionKind.Array => "global::Pipelines.Futures.All",
                    CollectionKind.List => $"{Internals}.Stubs.GatherList",
                    CollectionKind.ReadOnlyList => $"{Internals}.Stubs.GatherReadOnlyList",
                    _ => $"{Internals}.Stubs.GatherEnumerable",
                };
                arguments.Add($"{FutureOr}<{parameter.Type}>.FromFuture({gather}({parameter.Name} ?? throw new global::System.ArgumentNullException(nameof({parameter.Name}))))");
                continue;
            }

            // An [AllowNull] value may be null where its type says it is not: the generated call passes it on as the method allows.
            string value = parameter.NullState == NullState.Allowed ? parameter.Name + "!" : parameter.Name;
            if (parameter.IsCallerInfo)
            {
                arguments.Add($"{FutureOr}<{parameter.Type}>.FromValue({value})");
                continue;
            }

            bool asFuture = shape.TakesFuture(i);
            arguments.Add(parameter.Kind switch
            {
                ParameterKind.FutureOr => value,
                ParameterKind.InterfacePair when asFuture => $"{parameter.Name}.AsFutureOr()",
                ParameterKind.GenericPair when asFuture => $"{FutureOr}<{parameter.Type}>.FromFuture({parameter.Name} ?? throw new global::System.ArgumentNullException(nameof({parameter.Name})))",
                _ => $"{FutureOr}<{parameter.Type}>.FromValue({value})",
            });
        }

        return string.Join(", ", arguments);
    }

    /// <summary>
    /// A caller-info parameter's attributes on a stub. <c>[CallerArgumentExpression]</c> names a parameter of the stub: the
    /// method's own, or the <c>Then</c> stub's source where that feeds it; none when the named one is not in the stub.
    /// </summary>
    private static string? CallerAttributes(SubmittableMethod method, Shape shape, StubNames names, ParameterModel parameter)
    {
        string? expression = null;
        if (parameter.CallerArgumentExpression is { } named)
        {
            int index = -1;
            for (int i = 0; i < method.Parameters.Count; i++)
            {
                if (method.Parameters[i].Name.TrimStart('@') == named && method.Parameters[i].IsInStub)
                {
                    index = i;
                }
            }

            string? stubName = index < 0 ? null : index == shape.Skip ? names.Source : named;
            expression = stubName is null ? null : $"[global::System.Runtime.CompilerServices.CallerArgumentExpression(\"{stubName}\")]";
        }

        return parameter.CallerAttributes + expression is { Length: > 0 } attributes ? attributes : null;
    }

    /// <summary><c>[AllowNull]</c> or <c>[DisallowNull]</c> as the method's parameter has it, for a stub parameter of its own type.</summary>
    /// <remarks>Not <c>[DisallowNull]</c> with a null default, which the compiler warns about on the stub as on the method.</remarks>
    private static string? NullStateAttribute(ParameterModel parameter) => parameter.NullState switch
    {
        NullState.Allowed => "[global::System.Diagnostics.CodeAnalysis.AllowNull]",
        NullState.Disallowed when parameter.DefaultValue?.StartsWith("default(", StringComparison.Ordinal) != true => "[global::System.Diagnostics.CodeAnalysis.DisallowNull]",
        _ => null,
    };

    /// <summary>Names of the stubs' own parameters, chosen not to clash with the method's.</summary>
    private sealed class StubNames
    {
        public StubNames(SubmittableMethod method)
        {
            var taken = new HashSet<string>(method.Parameters.Select(p => p.Name.TrimStart('@')));
            Executor = Unique("executor", taken);
            Source = Unique("source", taken);

            // Then feeds the method's first stub parameter (after the instance, for instance methods).
            ThenSourceIndex = -1;
            for (int i = method.IsStatic ? 0 : 1; i < method.Parameters.Count; i++)
            {
                if (method.Parameters[i].IsInStub)
                {
                    ThenSourceIndex = i;
                    break;
                }
            }
        }

        public string Executor { get; }

        public string Source { get; }

        public int ThenSourceIndex { get; }

        private static string Unique(string name, HashSet<string> taken)
        {
            string candidate = name;
            for (int i = 1; taken.Contains(candidate); i++)
            {
                candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return candidate;
        }
    }

    /// <summary>One parameter of a stub's signature.</summary>
    /// <param name="Type">Its type (with <c>this</c> for the first).</param>
    /// <param name="Name">Its name.</param>
    /// <param name="Default">Its default, or null.</param>
    /// <param name="Oblivious">Declared between <c>#nullable disable annotations</c> and <c>#nullable enable annotations</c>.</param>
    /// <param name="IsParams">Declared <c>params</c>.</param>
    /// <param name="Attributes">Caller-info attributes before it, or null; they go with its default.</param>
    /// <param name="Nullability"><c>[AllowNull]</c> or <c>[DisallowNull]</c> before it, or null.</param>
    private readonly record struct StubParameter(string Type, string Name, string? Default, bool Oblivious, bool IsParams, string? Attributes = null, string? Nullability = null)
    {
        public override string ToString() =>
            (Nullability is null ? string.Empty : Nullability + " ") + (Attributes is null ? string.Empty : Attributes + " ") + (IsParams ? "params " : string.Empty)
            + $"{Type} {Name}" + (Default is null ? string.Empty : $" = {Default}");
    }
}
