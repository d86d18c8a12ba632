using System;
using System.Reflection;

namespace Pipelines.Remoting;

// The ArgumentException family: its Message is the message it was given plus " (Parameter 'name')" (and, for
// ArgumentOutOfRangeException, a line with the actual value). Rebuilt from the remote Message and ParamName by taking
// those parts back off and passing each to the constructor parameter of its name, so both come out as they were.
public sealed partial class RemoteExceptionFactory
{
    private static class ArgumentFamily
    {
        private static readonly string[] s_known = ["message", "paramName", "actualValue", "innerException"];

        /// <summary>The exception, or null when the message does not have the family's shape or no constructor fits.</summary>
        public static Exception? TryConstruct(ConstructorInfo[] constructors, string message, string? paramName, Exception? inner)
        {
            if (string.IsNullOrEmpty(paramName))
            {
                return null; // no parameter part: the (message, inner) constructor rebuilds it exactly
            }

            string marker = new ArgumentException((string?)null, paramName).Message[new ArgumentException((string?)null, (string?)null).Message.Length..];
            int at = message.LastIndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            string core = message[..at];
            string tail = message[(at + marker.Length)..];
            string? actualValue = null;
            if (tail.Length > 0 && !TryReadActualValue(tail, out actualValue))
            {
                return null;
            }

            ConstructorInfo? best = null;
            int bestScore = -1;
            foreach (ConstructorInfo constructor in constructors)
            {
                int score = Score(constructor.GetParameters(), actualValue is not null, inner is not null);
                if (score > bestScore)
                {
                    (best, bestScore) = (constructor, score);
                }
            }

            if (best is null)
            {
                return null;
            }

            ParameterInfo[] parameters = best.GetParameters();
            object?[] arguments = new object?[parameters.Length];
            for (int i = 0; i < parameters.Length; i++)
            {
                arguments[i] = parameters[i].Name switch
                {
                    "message" => core,
                    "paramName" => paramName,
                    "actualValue" => actualValue,
                    _ => inner,
                };
            }

            return (Exception)best.Invoke(arguments);
        }

        /// <summary>
        /// How well a constructor fits: it must take <c>message</c> and <c>paramName</c> (strings) and nothing but the
        /// known parameters; an actual value it cannot take disqualifies it; one it could take but we have none for scores lower.
        /// </summary>
        private static int Score(ParameterInfo[] parameters, bool hasActualValue, bool hasInner)
        {
            bool message = false, paramName = false, actualValue = false, innerException = false;
            foreach (ParameterInfo parameter in parameters)
            {
                switch (parameter.Name)
                {
                    case "message" when parameter.ParameterType == typeof(string):
                        message = true;
                        break;
                    case "paramName" when parameter.ParameterType == typeof(string):
                        paramName = true;
                        break;
                    case "actualValue" when parameter.ParameterType == typeof(object):
                        actualValue = true;
                        break;
                    case "innerException" when parameter.ParameterType == typeof(Exception):
                        innerException = true;
                        break;
                    default:
                        return -1;
                }
            }

            if (!message || !paramName || actualValue != hasActualValue || (innerException && !hasInner))
            {
                return -1;
            }

            return innerException ? 2 : 1;
        }

        /// <summary>Reads the value out of ArgumentOutOfRangeException's "Actual value was …" line (in this process's language).</summary>
        private static bool TryReadActualValue(string tail, out string? value)
        {
            const string Probe = "\u0001";
            string probe = new ArgumentOutOfRangeException(null, Probe, null).Message;
            string line = probe[(probe.LastIndexOf(Environment.NewLine, StringComparison.Ordinal) + Environment.NewLine.Length)..];
            int hole = line.IndexOf(Probe, StringComparison.Ordinal);
            string prefix = hole < 0 ? string.Empty : Environment.NewLine + line[..hole];
            string suffix = hole < 0 ? string.Empty : line[(hole + Probe.Length)..];
            if (hole < 0 || !tail.StartsWith(prefix, StringComparison.Ordinal) || !tail.EndsWith(suffix, StringComparison.Ordinal) || tail.Length < prefix.Length + suffix.Length)
            {
                value = null;
                return false;
            }

            value = tail[prefix.Length..^suffix.Length];
            return true;
        }
    }
}
