using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Pipelines.Remoting;

/// <summary>
/// Turns an exception that another process reported — its type name, message, parameter name, stack and inner
/// exception — back into an exception of its own type, as CPython re-raises a worker's exception: so
/// <c>catch (InvalidOperationException)</c> matches whichever executor ran the call. What the other process sends
/// decides no type by itself: only a non-abstract, non-generic <see cref="Exception"/> type of an assembly already
/// loaded here is built (no assembly is ever loaded for a name from the wire), and with an allow-list only the listed
/// types. Anything else comes back as a <see cref="RemoteException"/> carrying the remote type name, message and stack.
/// </summary>
/// <remarks>
/// <para>The remote stack is attached as the exception's remote stack trace (shown first by <see cref="Exception.StackTrace"/>,
/// then this process's frames once it is rethrown). The <see cref="ArgumentException"/> family keeps its message and
/// <see cref="ArgumentException.ParamName"/> apart, so <c>new ArgumentNullException("name", "custom")</c> comes back
/// with the same <see cref="Exception.Message"/> and <see cref="ArgumentException.ParamName"/>.</para>
/// <para>The constructor used is, in order: for the argument family, one taking <c>message</c> and <c>paramName</c>
/// (and <c>actualValue</c>, for <see cref="ArgumentOutOfRangeException"/>); then <c>(string message, Exception inner)</c>;
/// then <c>(string message)</c> — a single-string constructor whose parameter is not a message (such as
/// <c>ObjectDisposedException(string objectName)</c>) is never taken for one. A constructor that throws means a
/// <see cref="RemoteException"/>. Constructors are found by reflection: in trimmed applications, keep the ones of your own
/// exception types (or they come back as <see cref="RemoteException"/>).</para>
/// <para>Used by <see cref="ProcessPoolExecutor"/> and the Orleans executor (<c>RemoteExceptions</c> on their options),
/// and by executors of your own built on <see cref="RemoteExecutor"/>. Instances are immutable and thread-safe.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed partial class RemoteExceptionFactory
{
    private const string EndOfRemoteStack = "   --- End of remote stack trace ---";

    private static readonly ConditionalWeakTable<Assembly, Dictionary<string, Type>> s_definedExceptions = new();

    private readonly Dictionary<string, Type>? _allowed; // by full name; null: any loaded exception type

    /// <summary>Creates a factory that rebuilds any exception type loaded in this process (the default).</summary>
    public RemoteExceptionFactory()
    {
    }

    /// <summary>Creates a factory that rebuilds only <paramref name="allowedTypes"/> (exactly these types, not their subtypes); any other name becomes a <see cref="RemoteException"/>.</summary>
    /// <param name="allowedTypes">The exception types to rebuild; may be empty (every remote exception is then a <see cref="RemoteException"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="allowedTypes"/> or one of its elements is null.</exception>
    /// <exception cref="ArgumentException">A type is not a concrete, non-generic <see cref="Exception"/> type, or two share a full name.</exception>
    public RemoteExceptionFactory(IEnumerable<Type> allowedTypes)
    {
        ArgumentNullException.ThrowIfNull(allowedTypes);
        _allowed = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (Type type in allowedTypes)
        {
            if (type is null)
            {
                throw new ArgumentNullException(nameof(allowedTypes), "The allowed exception types must not contain null.");
            }

            if (!typeof(Exception).IsAssignableFrom(type) || type.IsAbstract || type.ContainsGenericParameters || type.FullName is null)
            {
                throw new ArgumentException($"'{type}' cannot be rebuilt from a remote report: only concrete, non-generic Exception types can.", nameof(allowedTypes));
            }

            if (_allowed.TryGetValue(type.FullName, out Type? other) && other != type)
            {
                throw new ArgumentException($"'{type.AssemblyQualifiedName}' and '{other.AssemblyQualifiedName}' have the same full name; allow one of them.", nameof(allowedTypes));
            }

            _allowed[type.FullName] = type;
        }
    }

    /// <summary>The factory every executor uses unless told otherwise: any exception type already loaded here.</summary>
    public static RemoteExceptionFactory Default { get; } = new();

    /// <summary>The types this factory rebuilds, or <see langword="null"/> when it rebuilds any loaded exception type.</summary>
    public IReadOnlyCollection<Type>? AllowedTypes => _allowed?.Values;

    /// <summary>
    /// The name to send for <paramref name="type"/> so that <see cref="Create(string, string, string?, string?, Exception?)"/> finds it on the other side:
    /// <c>Namespace.Type, AssemblyName</c> (no version: the same assembly loaded in another version still matches).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    public static string TypeNameOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        string fullName = type.FullName ?? type.Name;
        return type.Assembly.GetName().Name is { } assembly ? $"{fullName}, {assembly}" : fullName;
    }

    /// <summary>
    /// Builds the exception another process reported. Never throws for what the report says: a type that is unknown here,
    /// not allowed, not an exception, generic, abstract, or whose constructor fails gives a <see cref="RemoteException"/>.
    /// </summary>
    /// <param name="typeName">The remote type: <c>Namespace.Type</c>, optionally followed by <c>, AssemblyName</c> (see <see cref="TypeNameOf"/>).</param>
    /// <param name="message">The remote exception's <see cref="Exception.Message"/>.</param>
    /// <param name="paramName">Its <see cref="ArgumentException.ParamName"/> for the argument family; ignored for other types.</param>
    /// <param name="remoteStackTrace">Its stack trace in the other process, or null.</param>
    /// <param name="innerException">Its inner exception, already rebuilt (build the chain from the innermost out), or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="typeName"/> or <paramref name="message"/> is null.</exception>
    public Exception Create(string typeName, string message, string? paramName = null, string? remoteStackTrace = null, Exception? innerException = null)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(message);
        (string fullName, string? assemblyName) = SplitTypeName(typeName);
        Exception? rebuilt = Find(fullName, assemblyName) is { } type ? TryConstruct(type, message, paramName, innerException) : null;
        if (rebuilt is null)
        {
            return new RemoteException(fullName, message, remoteStackTrace, innerException);
        }

        if (remoteStackTrace is not null)
        {
            try
            {
                ExceptionDispatchInfo.SetRemoteStackTrace(rebuilt, remoteStackTrace + Environment.NewLine + EndOfRemoteStack + Environment.NewLine);
            }
            catch (InvalidOperationException)
            {
                // The constructor threw it already somewhere (it has a stack of its own): keep the exception as it is.
            }
        }

        return rebuilt;
    }

    /// <summary>
    /// Builds the exception of <paramref name="record"/>, its inner exceptions first; like
    /// <see cref="Create(string, string, string?, string?, Exception?)"/>, never throws for what the record says.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public Exception Create(RemoteExceptionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Exception? inner = record.Inner is { } innerRecord ? Create(innerRecord) : null;
        return Create(record.TypeName, record.Message, record.ParamName, record.StackTrace, inner);
    }

    /// <summary>The full name and the assembly's simple name; a name with brackets or pointers (generic instances, arrays) finds nothing.</summary>
    private static (string FullName, string? AssemblyName) SplitTypeName(string typeName)
    {
        int comma = typeName.IndexOf(',', StringComparison.Ordinal);
        string fullName = (comma < 0 ? typeName : typeName[..comma]).Trim();
        string? assemblyName = null;
        if (comma >= 0)
        {
            string assembly = typeName[(comma + 1)..];
            int next = assembly.IndexOf(',', StringComparison.Ordinal);
            assemblyName = (next < 0 ? assembly : assembly[..next]).Trim();
        }

        return (fullName, assemblyName);
    }

    private Type? Find(string fullName, string? assemblyName)
    {
        if (fullName.Length == 0 || fullName.AsSpan().IndexOfAny("[]*&, ") >= 0)
        {
            return null; // a generic instance, an array, a pointer or garbage: never resolved (it could name other assemblies)
        }

        Type? type = _allowed is not null ? _allowed.GetValueOrDefault(fullName) : FindLoaded(fullName, assemblyName);
        if (type is null || (assemblyName is not null && !string.Equals(type.Assembly.GetName().Name, assemblyName, StringComparison.Ordinal)))
        {
            return null;
        }

        return typeof(Exception).IsAssignableFrom(type) && !type.IsAbstract && !type.ContainsGenericParameters ? type : null;
    }

    /// <summary>
    /// The exception type of that name defined in an assembly loaded now (in the named one, when a name is given). Only
    /// types an assembly defines count: <see cref="Assembly.GetType(string)"/> would follow a type forwarder (a facade
    /// such as <c>System</c> forwards to assemblies not loaded yet) and load its target, so assemblies other than
    /// CoreLib, which forwards nothing, are searched through an index of the exception types they define.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A type that was trimmed away is not found: the report becomes a RemoteException.")]
    private static Type? FindLoaded(string fullName, string? assemblyName)
    {
        Assembly coreLibrary = typeof(Exception).Assembly;
        if (assemblyName is null || assemblyName == coreLibrary.GetName().Name)
        {
            Type? core = coreLibrary.GetType(fullName, throwOnError: false);
            if (core is not null || assemblyName is not null)
            {
                return core;
            }
        }

        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsDynamic && assembly != coreLibrary && (assemblyName is null || assembly.GetName().Name == assemblyName)
                && s_definedExceptions.GetValue(assembly, DefinedExceptions).TryGetValue(fullName, out Type? found))
            {
                return found;
            }
        }

        return null;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A type that was trimmed away is not found: the report becomes a RemoteException.")]
    private static Dictionary<string, Type> DefinedExceptions(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partial)
        {
            types = partial.Types;
        }

        var exceptions = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (Type? type in types)
        {
            if (type?.FullName is { } name && typeof(Exception).IsAssignableFrom(type))
            {
                exceptions.TryAdd(name, type);
            }
        }

        return exceptions;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "A constructor that was trimmed away is not found: the report becomes a RemoteException.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "A constructor that was trimmed away is not found: the report becomes a RemoteException.")]
    private static Exception? TryConstruct(Type type, string message, string? paramName, Exception? inner)
    {
        try
        {
            ConstructorInfo[] constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
            if (typeof(ArgumentException).IsAssignableFrom(type) && ArgumentFamily.TryConstruct(constructors, message, paramName, inner) is { } argument)
            {
                return argument;
            }

            if (Find(constructors, typeof(string), typeof(Exception)) is { } withInner)
            {
                return (Exception)withInner.Invoke(new object?[] { message, inner });
            }

            return Find(constructors, typeof(string)) is { } withMessage && IsMessage(withMessage.GetParameters()[0])
                ? (Exception)withMessage.Invoke(new object?[] { message })
                : null;
        }
        catch (Exception)
        {
            return null; // a constructor that throws, a type that fails to initialize: the report stays a RemoteException
        }
    }

    internal static ConstructorInfo? Find(ConstructorInfo[] constructors, params Type[] parameterTypes) =>
        constructors.FirstOrDefault(c => c.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameterTypes));

    private static bool IsMessage(ParameterInfo parameter) =>
        parameter.Name?.Contains("message", StringComparison.OrdinalIgnoreCase) == true;
}
