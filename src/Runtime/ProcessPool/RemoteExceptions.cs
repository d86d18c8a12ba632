using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace Pipelines.ProcessPool;

/// <summary>
/// Turns an exception reported by another process back into one of its own type, as CPython re-raises the original
/// type: so <c>catch (InvalidOperationException)</c> keeps matching whichever executor ran the call. The type must be
/// loadable here and have a <c>(string message)</c> or <c>(string message, Exception? inner)</c> constructor; the
/// remote stack trace is attached to it. Otherwise the result is a <see cref="RemoteException"/> with the remote type
/// name, message and stack.
/// </summary>
internal static class RemoteExceptions
{
    /// <summary>Rebuilds the exception; never throws.</summary>
    /// <param name="typeName">The assembly-qualified (or full) name of the remote exception's type.</param>
    /// <param name="message">Its message.</param>
    /// <param name="stackTrace">Its stack trace in the other process, or null.</param>
    public static Exception Rebuild(string typeName, string message, string? stackTrace)
    {
        string fullName = typeName.Split(',')[0].Trim();
        if (TryCreate(typeName, message) is { } rebuilt)
        {
            if (stackTrace is not null)
            {
                ExceptionDispatchInfo.SetRemoteStackTrace(rebuilt, stackTrace + Environment.NewLine + "   --- End of stack trace in the worker process ---" + Environment.NewLine);
            }

            return rebuilt;
        }

        return new RemoteException(fullName, message, stackTrace);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "A type that was trimmed away (or is unknown here) is reported as a RemoteException instead.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "A constructor that was trimmed away is reported as a RemoteException instead.")]
    private static Exception? TryCreate(string typeName, string message)
    {
        try
        {
            Type? type = Type.GetType(typeName, throwOnError: false);
            if (type is null || !typeof(Exception).IsAssignableFrom(type) || type.IsAbstract)
            {
                return null;
            }

            if (type.GetConstructor(new[] { typeof(string) }) is { } withMessage)
            {
                return (Exception)withMessage.Invoke(new object[] { message });
            }

            return type.GetConstructor(new[] { typeof(string), typeof(Exception) }) is { } withInner
                ? (Exception)withInner.Invoke(new object?[] { message, null })
                : null;
        }
        catch (Exception)
        {
            return null; // a constructor that throws, a type that fails to load: fall back
        }
    }
}
