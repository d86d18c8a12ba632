using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Pipelines.Tests.Shared;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>
/// A real cluster on this machine: Debian's redis-server as the membership store (a free loopback port, no persistence),
/// silo processes running samples/Cluster's <c>silo</c> command with <c>--redis</c>, and an Orleans client in this process
/// that finds the gateways in the same table. Silos are killed (SIGKILL) or stopped gracefully (they drain) by the tests.
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _redis;
    private readonly int _basePort;
    private readonly List<SiloHandle> _silos = new();
    private readonly ITestOutputHelper _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IHost? _client;
    private int _nextIndex;

    private ProcessCluster(Process redis, string redisEndpoint, int basePort, ITestOutputHelper output)
    {
        _redis = redis;
        RedisEndpoint = redisEndpoint;
        _basePort = basePort;
        _output = output;
    }

    /// <summary>host:port of the Redis membership store.</summary>
    public string RedisEndpoint { get; }

    public IClusterClient Client => _client?.Services.GetRequiredService<IClusterClient>() ?? throw new InvalidOperationException("No client started.");

    /// <summary>The silos started so far, in order (stopped or killed ones included).</summary>
    public IReadOnlyList<SiloHandle> Silos => _silos;

    /// <summary>Starts redis-server, <paramref name="silos"/> silo processes (in parallel) and the client.</summary>
    public static async Task<ProcessCluster> StartAsync(int silos, ITestOutputHelper output)
    {
        string redisServer = DebianPackages.Require("redis-server", "redis-server");
        int redisPort = FreePort();
        var start = new ProcessStartInfo(redisServer)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--port", Text(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        Process redis = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        _ = redis.StandardOutput.ReadToEndAsync();
        _ = redis.StandardError.ReadToEndAsync();
        var cluster = new ProcessCluster(redis, $"127.0.0.1:{redisPort}", FreeBasePort(), output);
        try
        {
            await Wait.Bounded(WaitForPortAsync(redisPort), "redis-server to listen");
            await Task.WhenAll(Enumerable.Range(0, silos).Select(i => cluster.StartSiloAsync($"silo-{(char)('A' + i)}")));
            await cluster.StartClientAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo process and waits until it is up (it joins through the membership table).</summary>
    public async Task<SiloHandle> StartSiloAsync(string name)
    {
        int index = Interlocked.Increment(ref _nextIndex) - 1;
        var start = new ProcessStartInfo("dotnet")
        {
            Environment = { ["PIPELINES_SILO_LOG"] = "Information" }, // drains and recomputes, kept for a failure's message
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { SampleTests.SamplePath(), "silo", name, Text(index), Text(_basePort), "--redis", RedisEndpoint })
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start silo {name}.");
        var handle = new SiloHandle(name, process);
        lock (_silos)
        {
            _silos.Add(handle);
        }

        process.ErrorDataReceived += (_, e) => handle.AddError(e.Data);
        process.BeginErrorReadLine();
        string? ready = await Wait.Bounded(Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    return line;
                }
            }

            return null;
        }), $"silo {name} to start");
        if (ready is null)
        {
            throw new InvalidOperationException($"Silo {name} exited before it was ready: {handle.Errors}");
        }

        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                handle.AddError(line); // its log lines, for a failure's message
            }
        });
        handle.Address = ready.Split(' ')[2];
        Log($"{name} up at {handle.Address} in {clock.Elapsed.TotalSeconds:F1} s (pid {process.Id})");
        return handle;
    }

    /// <summary>Kills a silo process at once, as a crash would (SIGKILL: no drain, no goodbye).</summary>
    public void Kill(SiloHandle silo)
    {
        silo.Process.Kill(entireProcessTree: true);
        silo.Process.WaitForExit();
        Log($"killed {silo.Name}");
    }

    /// <summary>Stops a silo gracefully (its standard input closes: it drains, then exits) and waits for the process to exit.</summary>
    public async Task StopAsync(SiloHandle silo)
    {
        var clock = Stopwatch.StartNew();
        silo.Process.StandardInput.Close();
        await Wait.Bounded(silo.Process.WaitForExitAsync(), $"silo {silo.Name} to stop");
        Log($"{silo.Name} stopped gracefully in {clock.Elapsed.TotalSeconds:F1} s (exit code {silo.Process.ExitCode})");
    }

    /// <summary>A client that finds the gateways in the membership table.</summary>
    public async Task<IHost> StartClientHostAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(RedisEndpoint);
            client.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = ("pipelines-demo", "pipelines-demo"));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            client.AddPipelinesOrleans();
        });
        IHost host = builder.Build();
        await Wait.Bounded(host.StartAsync(), "the client to connect");
        return host;
    }

    public void Log(string message) => _output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F2} s] {message}");

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _client.StopAsync(stop.Token);
            }
            catch (Exception ex)
            {
                Log($"client stop: {ex.Message}");
            }

            _client.Dispose();
        }

        SiloHandle[] silos;
        lock (_silos)
        {
            silos = [.. _silos];
        }

        foreach (SiloHandle silo in silos)
        {
            if (!silo.Process.HasExited)
            {
                silo.Process.Kill(entireProcessTree: true); // the test is over: no need to drain
                silo.Process.WaitForExit();
            }

            silo.Process.Dispose();
        }

        if (!_redis.HasExited)
        {
            _redis.Kill();
            _redis.WaitForExit();
        }

        _redis.Dispose();
    }

    private async Task StartClientAsync() => _client = await StartClientHostAsync();

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task WaitForPortAsync(int port)
    {
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A base port whose silo and gateway ports for 16 silos (base + i, base + 100 + i) are free now.</summary>
    private static int FreeBasePort()
    {
        var random = new Random();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int basePort = random.Next(30_000, 50_000);
            if (Enumerable.Range(0, 16).All(i => SampleTests.Free(basePort + i) && SampleTests.Free(basePort + 100 + i)))
            {
                return basePort;
            }
        }

        throw new InvalidOperationException("No free ports found for the silos.");
    }
}

/// <summary>One silo process of a <see cref="ProcessCluster"/>.</summary>
internal sealed class SiloHandle(string name, Process process)
{
    private const int MaxLog = 1 << 20;
    private readonly StringBuilder _errors = new();

    public string Name { get; } = name;

    public Process Process { get; } = process;

    /// <summary>The silo's address as Orleans prints it (as in outcomes and statistics).</summary>
    public string Address { get; set; } = string.Empty;

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public void AddError(string? line)
    {
        if (line is not null)
        {
            lock (_errors)
            {
                if (_errors.Length > MaxLog)
                {
                    _errors.Remove(0, _errors.Length - (MaxLog / 2)); // the latest lines are the ones a failure needs
                }

                _errors.AppendLine(line);
            }
        }
    }

    public override string ToString() => Name;
}
