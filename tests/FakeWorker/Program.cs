// A process-pool worker that breaks the protocol on purpose. It answers the pool's Hello with Ready like a real worker,
// reads the first call, then does what its first argument says. Every mode either ends the process or waits to be killed.
using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Pipes;
using System.Threading;
using Pipelines.ProcessPool;

string mode = args.Length > 0 ? args[0] : "never-read";
string[] channel = (Environment.GetEnvironmentVariable("PIPELINES_PROCESS_WORKER") ?? throw new InvalidOperationException("not started by a pool")).Split(';');
using var input = new AnonymousPipeClientStream(PipeDirection.In, channel[0]);
using var output = new AnonymousPipeClientStream(PipeDirection.Out, channel[1]);
var writer = new FrameWriter();
byte[] buffer = new byte[4096];

if (mode == "never-read")
{
    Thread.Sleep(Timeout.Infinite); // neither the Hello nor any call is ever read: the pool's writes must not wait for us
}

WorkerProtocol.TryReadFrame(input, ref buffer, int.MaxValue, out _); // the Hello
writer.Begin(FrameKind.Ready);
writer.WriteInt32(Environment.ProcessId);
writer.Send(output, int.MaxValue);

if (mode == "ready-then-never-read")
{
    Thread.Sleep(Timeout.Infinite);
}

WorkerProtocol.TryReadFrame(input, ref buffer, int.MaxValue, out int length);
var call = new FrameReader(buffer.AsSpan(0, length));
call.ReadKind();
long callId = call.ReadInt64("call id");

switch (mode)
{
    case "oversized-header": // a header that claims 1 GiB, and nothing after it
        Raw(1 << 30);
        Thread.Sleep(Timeout.Infinite);
        break;
    case "oversized-block": // a well-sized Result frame whose JSON block claims 2 GiB - 1
        writer.Begin(FrameKind.Result);
        writer.WriteInt64(callId);
        writer.WriteInt32(int.MaxValue);
        writer.Send(output, int.MaxValue);
        Thread.Sleep(Timeout.Infinite);
        break;
    case "unknown-kind":
        writer.Begin((FrameKind)99);
        writer.WriteInt64(callId);
        writer.Send(output, int.MaxValue);
        Thread.Sleep(Timeout.Infinite);
        break;
    case "wrong-call": // a result for a call it was never given
        writer.Begin(FrameKind.Result);
        writer.WriteInt64(callId + 1);
        writer.WriteBlock("1"u8);
        writer.Send(output, int.MaxValue);
        Thread.Sleep(Timeout.Infinite);
        break;
    case "trailing-bytes": // a valid result with garbage after it
        writer.Begin(FrameKind.Result);
        writer.WriteInt64(callId);
        writer.WriteBlock("1"u8);
        writer.WriteInt32(7);
        writer.Send(output, int.MaxValue);
        Thread.Sleep(Timeout.Infinite);
        break;
    case "truncated-then-exit": // half a frame, then the process ends
        Raw(64);
        output.Write(new byte[10]);
        output.Flush();
        Environment.Exit(5);
        break;
    case "truncated-then-hang": // half a frame, then the pipe is closed but the process lives on
        Raw(64);
        output.Write(new byte[10]);
        output.Flush();
        output.Dispose();
        Thread.Sleep(Timeout.Infinite);
        break;
    case "deep-exception": // an exception chained deeper than the protocol allows
        writer.Begin(FrameKind.Error);
        writer.WriteInt64(callId);
        for (int i = 0; i < 20; i++)
        {
            writer.WriteString("System.InvalidOperationException, System.Private.CoreLib");
            writer.WriteString($"level {i}");
            writer.WriteString(null);
            writer.WriteString(null);
            writer.WriteByte(1);
        }

        writer.Send(output, int.MaxValue);
        Thread.Sleep(Timeout.Infinite);
        break;
    default: // "error:<type name>": the call threw an exception of that (claimed) type
        if (!mode.StartsWith("error:", StringComparison.Ordinal))
        {
            throw new ArgumentException($"unknown mode '{mode}'");
        }

        writer.Begin(FrameKind.Error);
        writer.WriteInt64(callId);
        writer.WriteString(mode["error:".Length..]);
        writer.WriteString("forged by the fake worker");
        writer.WriteString(null);
        writer.WriteString("   at Somewhere.Else()");
        writer.WriteByte(0);
        writer.Send(output, int.MaxValue);
        WorkerProtocol.TryReadFrame(input, ref buffer, int.MaxValue, out _); // stays a worker until the pool lets it go
        break;
}

// Writes a frame header claiming length bytes.
void Raw(int claimed)
{
    byte[] header = new byte[4];
    BinaryPrimitives.WriteInt32LittleEndian(header, claimed);
    output.Write(header);
    output.Flush();
}
