using System;
using System.Runtime.InteropServices;

namespace Pipelines.ProcessPool;

/// <summary>
/// The few libc calls the pool needs on Unix: process groups (a worker and the processes it starts are killed together,
/// and the terminal's Ctrl+C reaches none of them), close-on-exec pipe descriptors (a process a job starts cannot read
/// calls or forge results), and non-blocking writes (a submit never waits on a worker's pipe). Blittable signatures
/// only, so they stay trimming- and AOT-safe; every caller checks the OS first.
/// </summary>
internal static class Unix
{
    private const int F_GETFD = 1;
    private const int F_SETFD = 2;
    private const int F_GETFL = 3;
    private const int F_SETFL = 4;
    private const int FD_CLOEXEC = 1;
    private const int O_NONBLOCK_LINUX = 0x800;
    private const int SIGKILL = 9;
    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const short POLLOUT = 0x4;

    /// <summary>True where the process-group and descriptor calls are used (Linux and macOS).</summary>
    public static bool HasProcessGroups => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>True where pipe writes can be made non-blocking here (Linux: the flag values are Linux's).</summary>
    public static bool HasNonBlockingPipes => OperatingSystem.IsLinux();

    /// <summary>Makes the calling process the leader of a new process group. False if that failed (it is then in its parent's).</summary>
    public static bool BecomeProcessGroupLeader() => HasProcessGroups && setpgid(0, 0) == 0;

    /// <summary>Sends SIGKILL to every process of the group led by <paramref name="leader"/>. False if there is no such group.</summary>
    public static bool KillProcessGroup(int leader) => HasProcessGroups && leader > 1 && kill(-leader, SIGKILL) == 0;

    /// <summary>Marks a descriptor close-on-exec: processes this one starts do not inherit it.</summary>
    public static void SetCloseOnExec(IntPtr descriptor)
    {
        if (!OperatingSystem.IsLinux()) // fcntl is variadic: called with a fixed signature only where the ABI allows it
        {
            return;
        }

        int fd = (int)descriptor;
        int flags = fcntl(fd, F_GETFD, 0);
        if (flags >= 0)
        {
            _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
        }
    }

    /// <summary>Makes writes to a descriptor return at once instead of waiting for room. False if that failed.</summary>
    public static bool SetNonBlocking(IntPtr descriptor)
    {
        if (!HasNonBlockingPipes)
        {
            return false;
        }

        int fd = (int)descriptor;
        int flags = fcntl(fd, F_GETFL, 0);
        return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK_LINUX) == 0;
    }

    /// <summary>
    /// Writes what fits without waiting to a non-blocking descriptor: the count written (0 when the pipe is full), or -1
    /// when the descriptor is broken (the reader is gone).
    /// </summary>
    public static int TryWrite(IntPtr descriptor, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            nint written = write((int)descriptor, ref MemoryMarshal.GetReference(bytes), (nuint)bytes.Length);
            if (written >= 0)
            {
                return (int)written;
            }

            int error = Marshal.GetLastPInvokeError();
            if (error == EINTR)
            {
                continue;
            }

            return error == EAGAIN ? 0 : -1;
        }
    }

    /// <summary>Waits until the descriptor has room for a write, is broken, or <paramref name="milliseconds"/> pass.</summary>
    public static void WaitWritable(IntPtr descriptor, int milliseconds)
    {
        var entry = new PollFd { Fd = (int)descriptor, Events = POLLOUT };
        _ = poll(ref entry, 1, milliseconds);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setpgid(int pid, int pgid);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command, int argument);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, ref byte buffer, nuint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int poll(ref PollFd fds, nuint count, int timeout);
}
