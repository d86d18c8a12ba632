// Every example of Python's concurrent.futures documentation, ported to Pipelines.
// Each section names the Python it ports and prints what it shows. Runs in about 15 seconds (process pools start
// worker processes: this program, started again).
using System.Diagnostics;
using System.Numerics;
using Pipelines;
using PythonTour;

var clock = Stopwatch.StartNew();

// ---------------------------------------------------------------------------------------------
Section("1. submit() and result()", "executor.submit(pow, 323, 1235).result()",
    "Submit returns a future at once; GetResult blocks until the value is there.");
using (var executor = new ThreadPoolExecutor(maxWorkers: 1))
{
    Future<BigInteger> future = executor.SubmitBigPow(new BigInteger(323), 1235);
    BigInteger value = future.GetResult();
    Console.WriteLine($"  323 ** 1235 = {value.ToString()[..20]}... ({value.ToString().Length} digits)");
}

using (var ex = new ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "ThreadPoolExecutor-0"))
{
    Console.WriteLine("  main: starting");
    Future<double> f = ex.SubmitWork(5);
    Console.WriteLine($"  main: future: {f.State}");
    Console.WriteLine("  main: waiting for results");
    double result = f.GetResult();
    Console.WriteLine($"  main: result: {result}");
    Console.WriteLine($"  main: future after result: {f.State}");
}

// ---------------------------------------------------------------------------------------------
Section("2. map()", "ex.map(task, range(5, 0, -1))    # max_workers=2",
    "All calls are submitted at once and run two at a time, yet results come back in input order.");
using (var ex = new ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "ThreadPoolExecutor-0"))
{
    Console.WriteLine("  main: starting");
    IEnumerable<double> results = ex.Map(Jobs.Work, Enumerable.Range(1, 5).Reverse());
    Console.WriteLine("  main: unprocessed results (a lazy IEnumerable<double>; the calls are already running)");
    Console.WriteLine("  main: waiting for real results");
    Console.WriteLine($"  main: results: [{string.Join(", ", results)}]");

    Console.WriteLine($"  map(pow, [2, 3], [2, 2])      -> [{string.Join(", ", ex.Map(Jobs.Pow, new long[] { 2, 3 }, new long[] { 2, 2 }))}]");
    Console.WriteLine($"  map(my_func, [1, 2, 3] * 3)   -> [{string.Join(", ", ex.Map(Jobs.MyFunc, Enumerable.Repeat(new[] { 1, 2, 3 }, 3).SelectMany(x => x)))}]");

    // Python 3.14's buffersize: an endless input, at most 2 calls ahead of the reader.
    IEnumerable<long> squares = ex.Map(n => Jobs.Pow(n, 2), Naturals(), bufferSize: 2);
    Console.WriteLine($"  map(square, count(1), buffersize=2)[:6] -> [{string.Join(", ", squares.Take(6))}]");
}

// ---------------------------------------------------------------------------------------------
Section("3. ProcessPoolExecutor: map()", "with ProcessPoolExecutor() as executor: executor.map(is_prime, PRIMES)",
    "The docs' process-pool example as written: each worker is this program started again; MapIsPrime sends the primes in chunks.");
using (var executor = new ProcessPoolExecutor())
{
    long[] primes = [112272535095293, 112582705942171, 112272535095293, 115280095190773, 115797848077099, 1099726899285419];
    foreach ((long number, bool prime) in primes.Zip(executor.MapIsPrime(primes)))
    {
        Console.WriteLine($"  {number} is prime: {prime}");
    }
}

using (var ex = new ProcessPoolExecutor(maxWorkers: 2))
{
    // PyMOTW's conf9: results = ex.map(task, range(5, 0, -1)); task returns (n, os.getpid()).
    foreach (TaskRun run in ex.MapRunTask(Enumerable.Range(1, 5).Reverse(), chunkSize: 1))
    {
        Console.WriteLine($"  ran task {run.N} in process {run.Pid}");
    }
}

using (var ex = new ProcessPoolExecutor(maxWorkers: 3))
{
    // The cheat sheet: submit my_func three times, a done callback on the third, then map(my_func, [1, 2, 3] * 10).
    Future<double> future1 = ex.SubmitMyFuncPowers(10);
    Future<double> future2 = ex.SubmitMyFuncPowers(20);
    Future<double> future3 = ex.SubmitMyFuncPowers(30);
    Console.WriteLine($"  From future 1: {future1.GetResult():E3}");
    Console.WriteLine($"  From future 2: {future2.GetResult():E3}");
    future3.OnDone(done => Console.WriteLine($"  From callback of future 3: {done.GetResult():E3}"));
    future3.Wait();
    int[] listOfVals = [.. Enumerable.Repeat(new[] { 1, 2, 3 }, 10).SelectMany(x => x)];
    Console.WriteLine($"  Mapped results: [{string.Join(", ", ex.MapMyFuncPowers(listOfVals).Select(r => r.ToString("E2")).Take(6))}, ...] ({listOfVals.Length} values)");
}

// ---------------------------------------------------------------------------------------------
Section("3b. A broken process pool", "os.kill(pid1, signal.SIGHUP); ex.submit(os.getpid).result()    # BrokenProcessPool",
    "breakOnWorkerDeath: true is CPython's rule: a worker that dies breaks the pool, and its calls and later ones fail with BrokenProcessPoolException.");
using (var ex = new ProcessPoolExecutor(maxWorkers: 2, breakOnWorkerDeath: true))
{
    int pid1 = ex.SubmitGetPid().GetResult();
    Console.WriteLine($"  killing process {pid1}");
    using (var worker = Process.GetProcessById(pid1))
    {
        worker.Kill();
        worker.WaitForExit();
    }

    Console.WriteLine("  submitting another task");
    try
    {
        SpinWait.SpinUntil(() => ex.IsBroken, TimeSpan.FromSeconds(10)); // the pool notices the death; a submit meanwhile fails at its result
        int pid2 = ex.SubmitGetPid().GetResult();
        Console.WriteLine($"  got {pid2}");
    }
    catch (BrokenProcessPoolException e)
    {
        Console.WriteLine($"  could not start new tasks: {e.Message}");
    }
}

// ---------------------------------------------------------------------------------------------
Section("3c. ProcessPoolExecutor(initializer=...)", "ProcessPoolExecutor(initializer=set_greeting, initargs=('hello',))",
    "A [Submittable] method and its arguments, typed: each worker runs it once before its first call; one that throws breaks the pool.");
using (var ex = new ProcessPoolExecutor(maxWorkers: 2, initializer: JobsStubs.InitializeSetGreeting("hello")))
{
    Console.WriteLine($"  {ex.SubmitGreet("ada").GetResult()}");
}

using (var broken = new ProcessPoolExecutor(maxWorkers: 1, initializer: JobsStubs.InitializeSetGreeting("")))
{
    Exception? error = broken.SubmitGreet("ada").GetException();
    Console.WriteLine($"  {error?.GetType().Name}: {error?.InnerException?.GetType().Name}: {error?.InnerException?.Message}");
}

// ---------------------------------------------------------------------------------------------
Section("4. as_completed()", "for f in as_completed(wait_for): print(f.result())",
    "Futures are yielded as they finish, not in the order they were submitted.");
using (var ex = new ThreadPoolExecutor(maxWorkers: 5))
{
    List<Future<long>> waitFor = [.. Enumerable.Range(1, 5).Reverse().Select(i => ex.SubmitSleep(i))];
    Console.WriteLine($"  submitted: [{string.Join(", ", Enumerable.Range(1, 5).Reverse())}] (task i sleeps i/10 s)");
    foreach (Future<long> f in Futures.AsCompleted(waitFor))
    {
        Console.WriteLine($"  main: result: {f.GetResult()}");
    }
}

(string Url, int Size, int DelayMs)[] urls =
[
    ("http://www.foxnews.com/", 320_000, 300),
    ("http://www.cnn.com/", 1_150_000, 100),
    ("http://europe.wsj.com/", 480_000, 200),
    ("http://www.bbc.co.uk/", 260_000, 50),
    ("http://nonexistent-subdomain.python.org/", -1, 150),
];
Console.WriteLine("  -- the docs' load_url example (pages simulated, no network):");
using (var executor = new ThreadPoolExecutor(maxWorkers: 5))
{
    Dictionary<Future<byte[]>, string> futureToUrl = urls.ToDictionary(u => executor.SubmitLoadUrl(u.Url, u.Size, u.DelayMs), u => u.Url);
    foreach (Future<byte[]> future in Futures.AsCompleted(futureToUrl.Keys))
    {
        string url = futureToUrl[future];
        try
        {
            byte[] data = future.GetResult();
            Console.WriteLine($"  '{url}' page is {data.Length} bytes");
        }
        catch (HttpRequestException e)
        {
            Console.WriteLine($"  '{url}' generated an exception: {e.Message}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
Section("5. wait() with each return_when", "done, not_done = wait(fs, timeout=None, return_when=...)",
    "Wait splits the futures into Done and NotDone when the condition is met (or time runs out).");
using (var ex = new ThreadPoolExecutor(maxWorkers: 5))
{
    List<Future<long>> fs = [.. new[] { 5, 4, 3, 2, 1 }.Select(i => ex.SubmitSleep(i))];
    var (done, notDone) = Futures.Wait(fs, ReturnWhen.FirstCompleted);
    Console.WriteLine($"  FIRST_COMPLETED: done = [{Results(done)}], not_done = {notDone.Count} futures");

    (done, notDone) = Futures.Wait(fs, ReturnWhen.AllCompleted, timeout: TimeSpan.FromSeconds(0.25));
    Console.WriteLine($"  timeout=0.25:    done = [{Results(done)}], not_done = {notDone.Count} futures (no exception: wait just returns)");

    (done, notDone) = Futures.Wait(fs, ReturnWhen.AllCompleted);
    Console.WriteLine($"  ALL_COMPLETED:   done = [{Results(done)}], not_done = {notDone.Count} futures");

    List<Future<long>> mixed = [ex.SubmitPow(2, 8), ex.SubmitFail(2), ex.SubmitSleep(9)];
    var (failedFast, stillRunning) = Futures.Wait(mixed, ReturnWhen.FirstException);
    Console.WriteLine($"  FIRST_EXCEPTION: returned after {failedFast.Count} done ({string.Join(", ", failedFast.Select(Describe))}), {stillRunning.Count} still running");

    // The cheat sheet's version: three calls, wait for all, read the results.
    List<Future<int>> three = [ex.SubmitMyFunc(10), ex.SubmitMyFunc(20), ex.SubmitMyFunc(30)];
    var (completed, _) = Futures.Wait(three);
    Console.WriteLine($"  wait([my_func(10), my_func(20), my_func(30)]) -> {string.Join(", ", completed.Select(f => f.GetResult()))}");
}

// ---------------------------------------------------------------------------------------------
Section("6. Exceptions in tasks", "f.exception(); f.result()  # re-raises ValueError",
    "The call's exception is kept: GetException returns it, GetResult rethrows it with its original type.");
using (var ex = new ThreadPoolExecutor(maxWorkers: 2))
{
    Console.WriteLine("  main: starting");
    Future<long> f = ex.SubmitFail(5);
    Exception? error = f.GetException();
    Console.WriteLine($"  main: error: {error?.GetType().Name}: {error?.Message}");
    try
    {
        f.GetResult();
    }
    catch (ArgumentException e)
    {
        Console.WriteLine($"  main: saw error \"{e.Message}\" when accessing result");
    }
}

// ---------------------------------------------------------------------------------------------
Section("7. Done callbacks", "f.add_done_callback(done)",
    "OnDone runs when the future finishes, or at once if it already has; a throwing callback is reported, not lost.");
using (var ex = new ThreadPoolExecutor(maxWorkers: 3))
{
    Console.WriteLine("  main: starting");
    Future<double> f = ex.SubmitWork(5);
    f.OnDone(Done(5));
    Console.WriteLine($"  main: result: {f.GetResult()}");

    Future<int> future1 = ex.SubmitMyFunc(10);
    Future<int> future2 = ex.SubmitMyFunc(20);
    Future<int> future3 = ex.SubmitMyFunc(30);
    Console.WriteLine($"  From future 1: {future1.GetResult()}");
    Console.WriteLine($"  From future 2: {future2.GetResult()}");
    future3.OnDone(done => Console.WriteLine($"  From callback of future 3: {done.GetResult()}"));
    future3.Wait();

    future1.OnDone(_ => Console.WriteLine("  a callback on a future that is already done runs at once, on the caller's thread"));

    ex.CallbackFaulted += (_, e) => Console.WriteLine($"  CallbackFaulted event: {e.Exception.Message}");
    Future<long> fourth = ex.SubmitSleep(1);
    fourth.OnDone(_ => throw new InvalidOperationException("a callback that throws"));
    fourth.Wait();
    Console.WriteLine($"  the worker survived: {ex.SubmitSleep(0).GetResult() == 0}");
}

// ---------------------------------------------------------------------------------------------
Section("8. Cancelling queued work", "for f in reversed(tasks): f.cancel()    # max_workers=2, 10 tasks",
    "Cancel succeeds for calls that have not started; the two already running finish.");
using (var ex = new ThreadPoolExecutor(maxWorkers: 2))
{
    List<(int Arg, Future<double> Future)> tasks = [];
    foreach (int i in Enumerable.Range(1, 10).Reverse())
    {
        Future<double> f = ex.SubmitWork(5);
        f.OnDone(Done(i));
        tasks.Add((i, f));
    }

    Console.WriteLine("  main: submitted 10..1; cancelling in reverse");
    SpinWait.SpinUntil(() => tasks[0].Future.IsRunning && tasks[1].Future.IsRunning, TimeSpan.FromSeconds(5));
    foreach ((int i, Future<double> t) in Enumerable.Reverse(tasks))
    {
        if (!t.Cancel())
        {
            Console.WriteLine($"  main: did not cancel {i}");
        }
    }

    ex.Shutdown();
    Console.WriteLine($"  after shutdown: {tasks.Count(t => t.Future.IsCancelled)} cancelled, {tasks.Count(t => t.Future.State == FutureState.Succeeded)} succeeded");
}

// ---------------------------------------------------------------------------------------------
Section("9. Context manager", "with ThreadPoolExecutor(max_workers=2) as ex: ex.submit(task, 1) ...",
    "`using` is Python's `with`: leaving the block shuts the executor down and waits for its work.");
using (var ex = new ThreadPoolExecutor(maxWorkers: 2))
{
    Console.WriteLine("  main: starting");
    for (int i = 1; i <= 4; i++)
    {
        _ = ex.SubmitPrint(i);
    }
}

Console.WriteLine("  main: done");

// ---------------------------------------------------------------------------------------------
Section("10. shutdown()", "ex.shutdown(wait=True, cancel_futures=True)",
    "cancelFutures cancels what has not started; wait: false returns at once; submitting afterwards throws.");
{
    var ex = new ThreadPoolExecutor(maxWorkers: 2);
    List<Future<long>> fs = [.. Enumerable.Range(1, 6).Select(_ => ex.SubmitSleep(3))];
    SpinWait.SpinUntil(() => fs.Count(f => f.IsRunning) == 2, TimeSpan.FromSeconds(5));
    ex.Shutdown(wait: true, cancelFutures: true);
    Console.WriteLine($"  6 submitted to 2 workers, then shutdown(cancelFutures: true): [{string.Join(", ", fs.Select(f => f.State))}]");
    try
    {
        _ = ex.SubmitSleep(1);
    }
    catch (InvalidOperationException e)
    {
        Console.WriteLine($"  submit after shutdown: {e.GetType().Name}: {e.Message}");
    }

    var background = new ThreadPoolExecutor(maxWorkers: 1);
    Future<long> slow = background.SubmitSleep(3);
    var shutdownClock = Stopwatch.StartNew();
    background.Shutdown(wait: false);
    Console.WriteLine($"  shutdown(wait: false) returned after {shutdownClock.ElapsedMilliseconds} ms; the queued call still finishes: {slow.GetResult()}");
}

// ---------------------------------------------------------------------------------------------
Section("11. The docs' deadlock", "def wait_on_future(): f = executor.submit(pow, 5, 2); print(f.result())    # max_workers=1",
    "In Python this never completes. Pipelines' compiler flags it (PIPE0001), and at run time the blocked worker runs the queued call itself.");
using (var executor = new ThreadPoolExecutor(maxWorkers: 1))
{
    Future<long> waitOnFuture = executor.Submit(() =>
    {
        Future<long> f = executor.SubmitPow(5, 2);
#pragma warning disable PIPE0001 // A blocking wait inside pool work: exactly what the analyzer warns about; shown on purpose.
        return f.GetResult();
#pragma warning restore PIPE0001
    });
    Console.WriteLine($"  wait_on_future() -> {waitOnFuture.GetResult(TimeSpan.FromSeconds(10))}");

    // The deadlock-free way: pass the future itself; no thread waits for it.
    Console.WriteLine($"  executor.SubmitAdd(executor.SubmitPow(5, 2), 0) -> {executor.SubmitAdd(executor.SubmitPow(5, 2), 0).GetResult()}");
}

Console.WriteLine("  (The docs' other deadlock, two running calls each waiting on the other, is a true cycle; with futures");
Console.WriteLine("   passed as arguments it cannot be built, since a future must exist before it is passed.)");

// ---------------------------------------------------------------------------------------------
Section("12. initializer and BrokenExecutor", "ThreadPoolExecutor(initializer=init)    # init raises",
    "An initializer that throws breaks the pool: pending and later submits fail with BrokenExecutorException.");
using (var broken = new ThreadPoolExecutor(maxWorkers: 1, initializer: () => throw new InvalidOperationException("cannot open the database")))
{
    Future<long> f = broken.SubmitSleep(1);
    f.Wait();
    Exception? error = f.GetException();
    Console.WriteLine($"  {error?.GetType().Name}: {error?.Message}");
}

// ---------------------------------------------------------------------------------------------
Section("13. Futures as arguments", "executor.submit(add, a, b)    # a and b are futures (Ray/Dask style)",
    "A stub takes a value or a future for every argument; the call is queued when its inputs are ready, and a failure flows downstream.");
using (var executor = new ThreadPoolExecutor(maxWorkers: 4))
{
    Future<long> a = executor.SubmitPow(2, 10);
    Future<long> b = executor.SubmitPow(3, 5);
    Future<long> c = executor.SubmitAdd(a, b);
    Future<long> d = c.ThenAdd(1);
    Console.WriteLine($"  pow(2, 10) + pow(3, 5) + 1 = {d.GetResult()}");

    Future<long> failed = executor.SubmitAdd(executor.SubmitFail(1), 2);
    Exception? failure = failed.GetException();
    Console.WriteLine($"  add(fail(1), 2) -> {failed.State}: {failure?.GetType().Name}: {failure?.Message} (the same exception; Add never ran)");

}

using (var oneWorker = new ThreadPoolExecutor(maxWorkers: 1))
{
    Future<long> busy = oneWorker.SubmitSleep(2);
    Future<long> queued = oneWorker.SubmitSleep(5);
    Future<long> dependent = queued.ThenAdd(1);
    bool cancelled = queued.Cancel();
    dependent.Wait();
    Console.WriteLine($"  cancel a queued input -> {cancelled}; its dependent is {dependent.State}; the running call is untouched: {busy.GetResult()}");
}

// ---------------------------------------------------------------------------------------------
Section("14. async", "await executor.run(pow, 323, 1235); async for f in as_completed(fs)",
    "Futures are awaitable; MapAsync and AsCompletedAsync are the IAsyncEnumerable versions; no thread blocks.");
await using (var executor = new ThreadPoolExecutor(maxWorkers: 4))
{
    List<Future<long>> tasks = [.. new (long A, long B)[] { (3, 4), (12, 2), (6, 8) }.Select(p => executor.SubmitPow(p.A, p.B))];
    long[] powers = await Task.WhenAll(tasks.Select(t => t.AsTask()));
    Console.WriteLine($"  results = [{string.Join(", ", powers)}]");
    Console.WriteLine($"  await executor.SubmitBigPow(2, 100) = {await executor.SubmitBigPow(new BigInteger(2), 100)}");

    List<Future<long>> sleepers = [.. new[] { 3, 1, 2 }.Select(i => executor.SubmitSleep(i))];
    var order = new List<long>();
    await foreach (Future<long> f in Futures.AsCompletedAsync(sleepers))
    {
        order.Add(await f);
    }

    Console.WriteLine($"  async as_completed over sleeps [3, 1, 2] -> [{string.Join(", ", order)}]");

    var mapped = new List<int>();
    await foreach (int square in executor.MapAsync(Jobs.MyFunc, new[] { 3, 1, 2 }))
    {
        mapped.Add(square);
    }

    Console.WriteLine($"  async map(my_func, [3, 1, 2]) -> [{string.Join(", ", mapped)}]");
}

// easynetwork's AsyncExecutor(ProcessPoolExecutor()): the same awaits, over worker processes.
await using (var executor = new ProcessPoolExecutor())
{
    List<Future<long>> tasks = [.. new (long A, long B)[] { (3, 4), (12, 2), (6, 8) }.Select(p => executor.SubmitPow(p.A, p.B))];
    await Futures.WaitAsync(tasks);
    Console.WriteLine($"  process pool: results = [{string.Join(", ", tasks.Select(t => t.GetResult()))}]");

    var powers = new List<string>();
    await foreach (string power in executor.MapAsyncPow50(Items(1, 4, 12)))
    {
        powers.Add(power);
    }

    Console.WriteLine($"  process pool: [result async for result in executor.map(pow_50, (1, 4, 12))] -> [{string.Join(", ", powers.Select(p => p.Length > 12 ? p[..12] + "..." : p))}]");
}

// ---------------------------------------------------------------------------------------------
Section("15. A future you complete yourself", "f = Future(); f.set_running_or_notify_cancel(); f.set_result(42)",
    "FutureCompletionSource is the executor author's side of a future; Future.FromTask turns a task into one. Both feed stubs.");
using (var executor = new ThreadPoolExecutor(maxWorkers: 2))
{
    var source = new FutureCompletionSource<long>();
    Future<long> sum = executor.SubmitAdd(source.Future, 1);     // waits for the future, no thread blocks
    Console.WriteLine($"  set_running_or_notify_cancel() -> {source.TrySetRunning()}; the dependent is {sum.State}");
    source.TrySetResult(41);
    Console.WriteLine($"  set_result(41) -> add(f, 1) = {sum.GetResult()}");

    var cancelled = new FutureCompletionSource<long>();
    cancelled.Future.Cancel();
    Console.WriteLine($"  cancel() first, then set_running_or_notify_cancel() -> {cancelled.TrySetRunning()} (the work must not start)");

    Future<long> fromTask = Task.Delay(10).ContinueWith(_ => 99L).AsFuture();
    Console.WriteLine($"  add(Future.FromTask(task), 1) = {executor.SubmitAdd(fromTask, 1).GetResult()}");
}

Console.WriteLine();
Console.WriteLine($"Tour finished in {clock.Elapsed.TotalSeconds:0.0} s.");

// ---------------------------------------------------------------------------------------------
static void Section(string title, string python, string shows)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
    Console.WriteLine($"   Python: {python}");
    Console.WriteLine($"   Shows:  {shows}");
}

// The docs' done(fn): reports how the call ended. The future is done here, so reading it does not block.
static Action<Future<double>> Done(int arg) => fn =>
{
    if (fn.IsCancelled)
    {
        Console.WriteLine($"  {arg}: canceled");
    }
    else if (fn.GetException() is { } error)
    {
        Console.WriteLine($"  {arg}: error returned: {error.Message}");
    }
    else
    {
        Console.WriteLine($"  {arg}: value returned: {fn.GetResult()}");
    }
};

static string Results(IEnumerable<Future<long>> futures) => string.Join(", ", futures.Select(f => f.GetResult()));

static string Describe(Future<long> future) =>
    future.IsFaulted ? $"failed: {future.GetException()?.Message}" : $"{future.State}: {future.GetResult()}";

static async IAsyncEnumerable<long> Items(params long[] items)
{
    foreach (long item in items)
    {
        await Task.Yield();
        yield return item;
    }
}

static IEnumerable<long> Naturals()
{
    for (long n = 1; ; n++)
    {
        yield return n;
    }
}
