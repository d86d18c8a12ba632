using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Pipelines.Hosting.Tests;

/// <summary>The <c>Pipelines</c> configuration section: what each value means, and a bad one named with what it should be.</summary>
public class ConfigurationTests
{
    [Theory]
    [InlineData("Executors:io:MaxWorkers", "0", "a whole number greater than 0")]
    [InlineData("Executors:io:MaxWorkers", "-3", "a whole number greater than 0")]
    [InlineData("Executors:io:ThreadNamePrefix", "", "a non-empty name")]
    [InlineData("Executors:io:ThreadNamePrefix", "  ", "a non-empty name")]
    public void AnOutOfRangeValueIsNamedWithWhatItShouldBe(string key, string value, string expected)
    {
        using IHost host = Host(new() { ["Pipelines:" + key] = value });
        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<PipelinesOptions>());
        Assert.Equal($"Configuration value 'Pipelines:{key}' is '{value}'; expected {expected}.", error.Message);
    }

    [Theory]
    [InlineData("Executors:io:MaxWorkers", "many")]
    [InlineData("Executors:io:MaxWorkers", "1.5")]
    [InlineData("Executors:io:MaxWorkers", "99999999999")]
    [InlineData("LogUnobservedExceptions", "yes")]
    public void AValueOfTheWrongTypeIsNamed(string key, string value)
    {
        using IHost host = Host(new() { ["Pipelines:" + key] = value });
        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<PipelinesOptions>());
        Assert.Contains($"'Pipelines:{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyValueLeavesItsSettingUnset()
    {
        using IHost host = Host(new()
        {
            ["Pipelines:DefaultExecutor"] = "",
            ["Pipelines:LogUnobservedExceptions"] = "",
            ["Pipelines:Executors:io:MaxWorkers"] = "",
        });
        PipelinesOptions options = host.Services.GetRequiredService<PipelinesOptions>();
        Assert.Equal("default", options.DefaultExecutor);
        Assert.True(options.LogUnobservedExceptions);
        Assert.Null(options.Executors["io"].MaxWorkers);
        Assert.Null(options.Executors["io"].ThreadNamePrefix);
    }

    [Fact]
    public void KeysAreCaseInsensitiveAndNumbersMayBePadded()
    {
        using IHost host = Host(new()
        {
            ["Pipelines:logUnobservedExceptions"] = "False",
            ["Pipelines:executors:IO:maxWorkers"] = " 4 ",
            ["Pipelines:Executors:io:threadNamePrefix"] = "io-worker",
        });
        PipelinesOptions options = host.Services.GetRequiredService<PipelinesOptions>();
        Assert.False(options.LogUnobservedExceptions);
        Assert.Equal(4, options.Executors["io"].MaxWorkers);
        Assert.Equal("io-worker", options.Executors["IO"].ThreadNamePrefix);
    }

    private static IHost Host(Dictionary<string, string?> configuration)
    {
        HostApplicationBuilder builder = TestHost.Builder(configuration);
        builder.Services.AddPipelines();
        return builder.Build();
    }
}
