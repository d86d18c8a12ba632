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
}
