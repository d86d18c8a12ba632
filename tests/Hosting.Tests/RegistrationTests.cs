using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Pipelines.Hosting.Tests;

/// <summary>services.AddPipelines(): executors from configuration and code, injectable as IExecutor, default and by name.</summary>
public class RegistrationTests
{
    [Fact]
    public async Task ExecutorsFromConfigurationAreInjectableByName()
    {
        HostApplicationBuilder builder = TestHost.Builder(new Dictionary<string, string?>
        {
            ["Pipelines:DefaultExecutor"] = "cpu",
            ["Pipelines:Executors:cpu:MaxWorkers"] = "3",
            ["Pipelines:Executors:io:maxWorkers"] = "5",
            ["Pipelines:Executors:io:ThreadNamePrefix"] = "io-worker",
        });
        builder.Services.AddPipelines();
        using IHost host = builder.Build();
        await host.StartAsync();

        var cpu = Assert.IsType<ThreadPoolExecutor>(host.Services.GetRequiredService<IExecutor>());
        Assert.Equal(3, cpu.MaxWorkers);
        Assert.Equal("cpu", cpu.Name);
        Assert.Same(cpu, host.Services.GetRequiredService<Executor>());
        Assert.Same(cpu, host.Services.GetRequiredKeyedService<IExecutor>("CPU"));

        var io = Assert.IsType<ThreadPoolExecutor>(host.Services.GetRequiredKeyedService<IExecutor>("io"));
        Assert.Equal(5, io.MaxWorkers);
        Assert.Equal("io-worker", io.Name);
        Assert.Same(io, host.Services.GetRequiredService<PipelinesExecutors>().Get("io"));
        Assert.Equal(42, await io.Submit(() => 42));

        await host.StopAsync();
        Assert.True(cpu.IsShutdown);
        Assert.True(io.IsShutdown);
    }

    [Fact]
    public async Task CodeChangesTheConfigurationAndAddsExecutorsOfAnyKind()
    {
        HostApplicationBuilder builder = TestHost.Builder(new Dictionary<string, string?> { ["Pipelines:Executors:io:MaxWorkers"] = "5" });
        builder.Services.AddPipelines(o => o.AddThreadPool("io", maxWorkers: 7));
        builder.Services.AddPipelines(o => o.AddExecutor("scheduled", _ => new TaskSchedulerExecutor(name: "scheduled")));
        using IHost host = builder.Build();
        await host.StartAsync();

        Assert.Equal(7, Assert.IsType<ThreadPoolExecutor>(host.Services.GetRequiredKeyedService<IExecutor>("io")).MaxWorkers);
        Assert.IsType<TaskSchedulerExecutor>(host.Services.GetRequiredKeyedService<IExecutor>("scheduled"));
        Assert.Equal("default", ((Executor)host.Services.GetRequiredService<IExecutor>()).Name);
        Assert.Equal(new[] { "default", "io", "scheduled" }, host.Services.GetRequiredService<PipelinesExecutors>().Names.Order());
        await host.StopAsync();
    }

    [Fact]
    public async Task AnExplicitSectionIsReadInsteadOfTheHosts()
    {
        HostApplicationBuilder builder = TestHost.Builder(new Dictionary<string, string?>
        {
            ["Pipelines:Executors:a:MaxWorkers"] = "2",
            ["Work:Executors:b:MaxWorkers"] = "4",
        });
        builder.Services.AddPipelines(builder.Configuration.GetSection("Work"));
        using IHost host = builder.Build();
        await host.StartAsync();
        Assert.Equal(4, Assert.IsType<ThreadPoolExecutor>(host.Services.GetRequiredKeyedService<IExecutor>("b")).MaxWorkers);
        Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredKeyedService<IExecutor>("a"));
        await host.StopAsync();
    }

    [Fact]
    public void AnUnknownNameIsNamedInTheError()
    {
        HostApplicationBuilder builder = TestHost.Builder();
        builder.Services.AddPipelines(o => o.AddThreadPool("io"));
        using IHost host = builder.Build();
        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredKeyedService<IExecutor>("gpu"));
        Assert.Contains("'gpu'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'io'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pipelines:Executors:gpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadValueFailsTheStartNamingItsKey()
    {
        HostApplicationBuilder builder = TestHost.Builder(new Dictionary<string, string?> { ["Pipelines:Executors:io:MaxWorkers"] = "many" });
        builder.Services.AddPipelines();
        using IHost host = builder.Build();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("Pipelines:Executors:io:MaxWorkers", error.Message, StringComparison.Ordinal);
        Assert.Contains("'many'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddPipelines()).ParamName);
        Assert.Equal("configuration", Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddPipelines(null!, null)).ParamName);
        Assert.Equal("name", Assert.ThrowsAny<ArgumentException>(() => new PipelinesOptions().AddThreadPool(" ")).ParamName);
        Assert.Equal("maxWorkers", Assert.Throws<ArgumentOutOfRangeException>(() => new PipelinesOptions().AddThreadPool("x", maxWorkers: 0)).ParamName);
        Assert.Equal("factory", Assert.Throws<ArgumentNullException>(() => new PipelinesOptions().AddExecutor("x", null!)).ParamName);
    }
}
