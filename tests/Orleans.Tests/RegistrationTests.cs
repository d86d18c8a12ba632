using System;
using System.Reflection;
using Orleans.Runtime;
using Pipelines.Orleans;
using Pipelines.Orleans.Cluster;
using Xunit;

namespace Pipelines.OrleansTests;

/// <summary>Options, registration and failure classification, without a cluster.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public void SiloOptionsNameTheBadSetting()
    {
        var tooFew = new PipelinesSiloOptions { MaxConcurrentCalls = 0 };
        Assert.Contains("MaxConcurrentCalls", Assert.Throws<ArgumentOutOfRangeException>(() => tooFew.Validate("options")).Message, StringComparison.Ordinal);
        var noTtl = new PipelinesSiloOptions { ResultTimeToLive = TimeSpan.Zero };
        Assert.Contains("ResultTimeToLive", Assert.Throws<ArgumentOutOfRangeException>(() => noTtl.Validate("options")).Message, StringComparison.Ordinal);
        var negativeDrain = new PipelinesSiloOptions { DrainTimeout = TimeSpan.FromSeconds(-1) };
        Assert.Contains("DrainTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => negativeDrain.Validate("options")).Message, StringComparison.Ordinal);
        new PipelinesSiloOptions { DrainTimeout = TimeSpan.Zero }.Validate("options"); // zero: stop without draining
        var nullAssembly = new PipelinesSiloOptions();
        nullAssembly.Assemblies.Add(null!);
        Assert.Contains("Assemblies[0]", Assert.Throws<ArgumentException>(() => nullAssembly.Validate("options")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientOptionsNameTheBadSetting()
    {
        Assert.Contains("PollInterval", Assert.Throws<ArgumentOutOfRangeException>(() => new OrleansExecutorOptions { PollInterval = TimeSpan.Zero }.Validate("options")).Message, StringComparison.Ordinal);
        Assert.Contains("CallTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new OrleansExecutorOptions { CallTimeout = TimeSpan.FromSeconds(-2) }.Validate("options")).Message, StringComparison.Ordinal);
        new OrleansExecutorOptions { CallTimeout = System.Threading.Timeout.InfiniteTimeSpan }.Validate("options"); // "no limit" is fine
    }

    [Fact]
    public void AddPipelinesRejectsNullArguments()
    {
        Assert.Throws<ArgumentNullException>("assemblies", () => global::Orleans.Hosting.PipelinesOrleansExtensions.AddPipelines(null!, (Assembly[])null!));
        Assert.Throws<ArgumentNullException>("siloBuilder", () => global::Orleans.Hosting.PipelinesOrleansExtensions.AddPipelines(null!, _ => { }));
        Assert.Throws<ArgumentNullException>("services", () => global::Orleans.Hosting.PipelinesOrleansExtensions.AddPipelinesOrleans((Microsoft.Extensions.DependencyInjection.IServiceCollection)null!));
    }

    [Fact]
    public void MessagingFailuresAreClassifiedByWhatTheySayAboutDelivery()
    {
        Assert.Equal(DeliveryFault.NotDelivered, ClusterFaults.Classify(new SiloUnavailableException())); // the rejection "known to be dead"
        Assert.Equal(DeliveryFault.NotDelivered, ClusterFaults.Classify(new GatewayTooBusyException()));
        Assert.Equal(DeliveryFault.Unknown, ClusterFaults.Classify(new SiloUnavailableException("The target silo became unavailable for message: ...")));
        Assert.Equal(DeliveryFault.Unknown, ClusterFaults.Classify(new TimeoutException()));
        Assert.Equal(DeliveryFault.NotTransient, ClusterFaults.Classify(new SiloUnavailableException("The local Orleans host is shutting down and can no longer process the request: ...")));
        Assert.Equal(DeliveryFault.NotTransient, ClusterFaults.Classify(new InvalidOperationException()));
    }

    [Fact]
    public void ShardKeysNameTheirSilo()
    {
        var silo = global::Orleans.Runtime.SiloAddress.New(System.Net.IPAddress.Loopback, 11111, 987654);
        string key = ShardKey.For(silo.ToParsableString(), 3);
        Assert.Equal("3@127.0.0.1:11111@987654", key);
        Assert.Equal(silo.ToParsableString(), ShardKey.SiloOf(key));
        Assert.True(ShardKey.TryParseSilo(key, out global::Orleans.Runtime.SiloAddress? parsed));
        Assert.Equal(silo, parsed);
        Assert.True(ShardKey.TryParseSilo(ShardKey.View(silo.ToParsableString()), out parsed));
        Assert.Equal(silo, parsed);
        Assert.False(ShardKey.TryParseSilo(ShardKey.AnyView, out _));
        Assert.False(ShardKey.TryParseSilo("no-silo", out _));
    }
}
