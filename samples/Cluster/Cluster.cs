using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace ClusterSample;

/// <summary>
/// Ports and ids of the demo cluster, and how its members find each other: localhost clustering (a primary silo holds
/// the membership table: it must not die) or, with <see cref="Redis"/>, a Redis membership table (any silo may die;
/// the same settings run a real multi-machine cluster, with <see cref="AdvertisedAddress"/> set to each machine's IP).
/// </summary>
internal sealed record ClusterLayout(int BasePort, string? Redis = null, IPAddress? AdvertisedAddress = null)
{
    public const string ServiceId = "pipelines-demo";
    public const string ClusterId = "pipelines-demo";

    public int SiloPort(int silo) => BasePort + silo;

    public int GatewayPort(int silo) => BasePort + 100 + silo;

    public int[] GatewayPorts(int silos) => Enumerable.Range(0, silos).Select(GatewayPort).ToArray();
}

/// <summary>Silo processes: this executable started with <c>silo</c>; and the client host.</summary>
internal static class LocalCluster
{
    /// <summary>Failure detection as the tests use it: a dead silo is declared dead in a few seconds.</summary>
    public static void FastFailureDetection(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 2;
        options.NumVotesForDeathDeclaration = 1;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
    }

    /// <summary>Runs one silo until its parent closes our standard input (or Ctrl+C). Prints <c>READY name address</c> once up.</summary>
    public static async Task<int> RunSiloAsync(string name, int index, ClusterLayout layout)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Logging.AddFilter("Orleans", LogLevel.Critical); // a killed peer is the point of the demo, not news
        if (Environment.GetEnvironmentVariable("PIPELINES_SILO_LOG") is { Length: > 0 } level && Enum.TryParse(level, out LogLevel min))
        {
            builder.Logging.SetMinimumLevel(min); // diagnostics: Pipelines' own log lines (and Orleans' warnings) on standard error
            builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        }
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60)); // longer than the silo's drain (30 s)
        builder.UseOrleans(silo =>
        {
            if (layout.Redis is { } redis)
            {
                silo.UseRedisClustering(redis);
                silo.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (ClusterLayout.ServiceId, ClusterLayout.ClusterId));
                silo.ConfigureEndpoints(layout.AdvertisedAddress ?? IPAddress.Loopback, layout.SiloPort(index), layout.GatewayPort(index), listenOnAnyHostAddress: layout.AdvertisedAddress is not null);
            }
            else
            {
                IPEndPoint? primary = index == 0 ? null : new IPEndPoint(IPAddress.Loopback, layout.SiloPort(0));
                silo.UseLocalhostClustering(layout.SiloPort(index), layout.GatewayPort(index), primary, ClusterLayout.ServiceId, ClusterLayout.ClusterId);
            }

            silo.Configure<SiloOptions>(o => o.SiloName = name);
            silo.Configure<ClusterMembershipOptions>(FastFailureDetection);
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            silo.AddPipelines(options =>
            {
                options.Assemblies.Add(typeof(Jobs).Assembly);
                options.MaxConcurrentCalls = 2;
                options.ReferencePollInterval = TimeSpan.FromSeconds(2);
            });
        });

        using IHost host = builder.Build();
        await host.StartAsync();
        string address = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();
        Console.WriteLine($"READY {name} {address}");
        Console.Out.Flush();

        // The parent holds our standard input open; when it closes (the parent exited or was killed), we go too.
        var parentGone = Task.Run(() =>
        {
            using Stream stdin = Console.OpenStandardInput();
            byte[] buffer = new byte[64];
            while (stdin.Read(buffer, 0, buffer.Length) > 0)
            {
            }
        });
        // A graceful stop (standard input closed, Ctrl+C or SIGTERM) drains the silo first: it finishes its running calls,
        // hands back the rest, and waits until its clients have moved the results it holds (PipelinesSiloOptions.DrainTimeout).
        await Task.WhenAny(parentGone, host.WaitForShutdownAsync());
        await host.StopAsync();
        return 0;
    }

    /// <summary>Starts this executable as silo <paramref name="index"/> and waits for it to report ready.</summary>
    public static async Task<SiloProcess> StartSiloProcessAsync(string name, int index, ClusterLayout layout, TimeSpan timeout)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LocalCluster).Assembly.Location); // run as `dotnet Cluster.dll`
        }

        foreach (string argument in new[] { "silo", name, index.ToString(System.Globalization.CultureInfo.InvariantCulture), layout.BasePort.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (layout.Redis is { } redis)
        {
            start.ArgumentList.Add("--redis");
            start.ArgumentList.Add(redis);
        }

        var clock = Stopwatch.StartNew();
        Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a silo process.");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (errors) { errors.AppendLine(e.Data); } } };
        process.BeginErrorReadLine();
        Task<string?> ready = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    return line;
                }
            }

            return null;
        });
        if (await Task.WhenAny(ready, Task.Delay(timeout)) != ready || await ready is not { } readyLine)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"Silo {name} did not start within {timeout.TotalSeconds} s (is port {layout.SiloPort(index)} or {layout.GatewayPort(index)} taken? pass another base port). {errors}");
        }

        _ = process.StandardOutput.ReadToEndAsync(); // keep draining
        return new SiloProcess(name, index, readyLine.Split(' ')[2], process, clock.Elapsed);
    }

    /// <summary>A client host connected to the local cluster's gateways.</summary>
    public static async Task<IHost> StartClientAsync(ClusterLayout layout, int silos)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            if (layout.Redis is { } redis)
            {
                client.UseRedisClustering(redis); // gateways come from the membership table
                client.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (ClusterLayout.ServiceId, ClusterLayout.ClusterId));
            }
            else
            {
                client.UseLocalhostClustering(layout.GatewayPorts(silos), ClusterLayout.ServiceId, ClusterLayout.ClusterId);
            }

            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5)); // a dead gateway's calls fail after this
            client.AddPipelinesOrleans();
        });
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

/// <summary>A silo running in its own process.</summary>
internal sealed record SiloProcess(string Name, int Index, string Address, Process Process, TimeSpan StartTime) : IDisposable
{
    public void Kill()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    /// <summary>Stops the silo gracefully (it drains first) and waits for its process to exit; kills it after <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        try
        {
            Process.StandardInput.Close();
            using var limit = new CancellationTokenSource(timeout);
            await Process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        try
        {
            Process.StandardInput.Close(); // the silo shuts down gracefully
            if (!Process.WaitForExit(60_000))
            {
                Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }

        Process.Dispose();
    }
}
