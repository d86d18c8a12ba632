using System.Numerics;
using Pipelines;

namespace PythonTour;

/// <summary>The functions the Python examples submit, marked <see cref="SubmittableAttribute"/>.</summary>
public static partial class Jobs
{
    /// <summary>The docs' <c>task(n)</c>: says which worker runs it, sleeps n/10 s, returns n/10.</summary>
    [Submittable]
    public static double Work(int n)
    {
        Console.WriteLine($"  {Worker}: sleeping {n}");
        Thread.Sleep(n * 100);
        Console.WriteLine($"  {Worker}: done with {n}");
        return n / 10.0;
    }

    /// <summary>Like <see cref="Work"/>, but quiet: sleeps n/10 s and returns n.</summary>
    [Submittable]
    public static long Sleep(int n)
    {
        Thread.Sleep(n * 100);
        return n;
    }

    /// <summary>The cheat sheet's <c>my_func(value)</c>: sleeps value/10 s, returns its square.</summary>
    [Submittable]
    public static int MyFunc(int value)
    {
        Thread.Sleep(value * 10);
        return value * value;
    }

    /// <summary>Python's built-in <c>pow</c> for small numbers.</summary>
    [Submittable]
    public static long Pow(long x, long y)
    {
        long result = 1;
        for (long i = 0; i < y; i++)
        {
            result *= x;
        }

        return result;
    }

    /// <summary>Python's <c>pow</c> for big numbers (Python's ints never overflow).</summary>
    [Submittable]
    public static BigInteger BigPow(BigInteger x, int y) => BigInteger.Pow(x, y);

    /// <summary>Adds two numbers.</summary>
    [Submittable]
    public static long Add(long a, long b) => a + b;

    /// <summary>The docs' failing task: raises after a short sleep.</summary>
    [Submittable]
    public static long Fail(int n)
    {
        Thread.Sleep(n * 100);
        throw new ArgumentException($"the value {n} is no good");
    }

    /// <summary>Prints its argument (the context-manager example).</summary>
    [Submittable]
    public static void Print(int n) => Console.WriteLine($"  {n}");

    /// <summary>The ProcessPoolExecutor example's <c>is_prime(n)</c>.</summary>
    [Submittable]
    public static bool IsPrime(long n)
    {
        if (n < 2)
        {
            return false;
        }

        if (n == 2)
        {
            return true;
        }

        if (n % 2 == 0)
        {
            return false;
        }

        long sqrt = (long)Math.Sqrt(n);
        for (long i = 3; i <= sqrt; i += 2)
        {
            if (n % i == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The docs' <c>load_url(url, timeout)</c>, simulated so the tour needs no network: a page of <paramref name="size"/> bytes after <paramref name="delayMs"/> ms.</summary>
    [Submittable]
    public static async Task<byte[]> LoadUrl(string url, int size, int delayMs, CancellationToken cancellationToken)
    {
        await Task.Delay(delayMs, cancellationToken);
        if (size < 0)
        {
            throw new HttpRequestException($"{url}: name or service not known");
        }

        return new byte[size];
    }

    private static string Worker => Thread.CurrentThread.Name ?? $"thread {Environment.CurrentManagedThreadId}";

    /// <summary>The process-pool example's <c>task(n)</c>: which worker process ran it.</summary>
    [Submittable]
    public static TaskRun RunTask(int n) => new(n, Environment.ProcessId);

    /// <summary>The cheat sheet's process-pool <c>my_func(value)</c>: value ** 5 ** 4 ** 3 / 100000, squared.</summary>
    [Submittable]
    public static double MyFuncPowers(int value)
    {
        double x = Math.Pow(value, 5);
        x = Math.Pow(x, 4);
        x = Math.Pow(x, 3);
        x /= 100000;
        return x * x;
    }

    /// <summary>The AsyncExecutor example's <c>pow_50(x)</c>, as text (Python's ints never overflow; JSON has no big integers).</summary>
    [Submittable]
    public static string Pow50(long x) => BigInteger.Pow(x, 50).ToString();

    /// <summary><c>os.getpid</c>.</summary>
    [Submittable]
    public static int GetPid() => Environment.ProcessId;

    /// <summary>A worker initializer: what every call in that worker greets with.</summary>
    [Submittable]
    public static void SetGreeting(string greeting)
    {
        if (greeting.Length == 0)
        {
            throw new ArgumentException("the greeting is empty", nameof(greeting));
        }

        s_greeting = greeting;
    }

    /// <summary>Greets with what the worker's initializer set.</summary>
    [Submittable]
    public static string Greet(string name) => $"{s_greeting ?? "(no initializer ran)"}, {name}, from process {Environment.ProcessId}";

    private static string? s_greeting;
}

/// <summary>What <see cref="Jobs.RunTask"/> returns: Python's <c>(n, os.getpid())</c>.</summary>
public sealed record TaskRun(int N, int Pid);
