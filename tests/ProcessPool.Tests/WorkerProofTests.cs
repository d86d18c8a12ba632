using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Pipes;
using System.Text;
using Xunit;

namespace Pipelines.ProcessPoolTests;

/// <summary>
/// A Pipelines executable serves calls only for the pool that started it: the environment variable alone is not
/// enough, the pool's token must come through the inherited pipe; and the JSON context the pool names is checked
/// before anything of it runs. Each case starts this test executable with the worker variable set by hand.
/// </summary>
public sealed class WorkerProofTests
{
    private const string ChannelVariable = "PIPELINES_PROCESS_WORKER";

    [Fact]
    public void TheEnvironmentAloneDoesNotMakeAWorker()
    {
        (int exitCode, string error, int answered) = Launch("the-token", Hello("another-token", jsonContext: null));
        Assert.Equal(72, exitCode);
        Assert.Contains("no process pool started it", error);
        Assert.Equal(0, answered); // it never said Ready, never read a call
    }

    [Fact]
    public void AJsonContextThatIsNotAContextIsRefusedBeforeItIsCreated()
    {
        string witness = typeof(ConstructorWitness).AssemblyQualifiedName!;
        (int exitCode, string error, int answered) = Launch("the-token", Hello("the-token", jsonContext: witness));
        Assert.Equal(71, exitCode);
        Assert.Contains("is not a concrete JsonSerializerContext type", error);
        Assert.Equal(0, answered);
    }

    /// <summary>Starts this executable as a would-be worker, writes <paramref name="firstFrame"/> to it, and waits for it to exit.</summary>
    private static (int ExitCode, string Error, int Answered) Launch(string token, byte[] firstFrame)
    {
        using var toWorker = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
        using var fromWorker = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
        string self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        }

        start.Environment[ChannelVariable] = $"{toWorker.GetClientHandleAsString()};{fromWorker.GetClientHandleAsString()};{token}";
        using Process process = Process.Start(start)!;
        toWorker.DisposeLocalCopyOfClientHandle();
        fromWorker.DisposeLocalCopyOfClientHandle();
        process.BeginOutputReadLine();
        var error = new StringBuilder();
        process.ErrorDataReceived += (_, e) => error.AppendLine(e.Data);
        process.BeginErrorReadLine();
        try
        {
            toWorker.Write(firstFrame);
            toWorker.Flush();
        }
        catch (IOException)
        {
            // It is gone already.
        }

        var answer = new MemoryStream();
        fromWorker.CopyTo(answer); // until it exits (the pipe ends with it)
        Assert.True(process.WaitForExit(Wait.Long), "the would-be worker did not exit");
        process.WaitForExit();
        return (process.ExitCode, error.ToString(), (int)answer.Length);
    }

    /// <summary>The pool's first message, as the protocol lays it out: length, kind 6, token, JSON context, frame limit, no initializer.</summary>
    private static byte[] Hello(string token, string? jsonContext)
    {
        var body = new List<byte> { 6 };
        AddString(body, token);
        AddString(body, jsonContext);
        AddInt32(body, 1 << 20);
        AddString(body, null);
        var frame = new List<byte>();
        AddInt32(frame, body.Count);
        frame.AddRange(body);
        return frame.ToArray();
    }

    private static void AddString(List<byte> bytes, string? value)
    {
        if (value is null)
        {
            AddInt32(bytes, -1);
            return;
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        AddInt32(bytes, utf8.Length);
        bytes.AddRange(utf8);
    }

    private static void AddInt32(List<byte> bytes, int value)
    {
        byte[] buffer = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
        bytes.AddRange(buffer);
    }
}
