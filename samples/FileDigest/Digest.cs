using System.Buffers;
using System.Security.Cryptography;
using Pipelines;

namespace FileDigest;

/// <summary>One hashed file.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Bytes">How many bytes were hashed.</param>
/// <param name="Sha256">The SHA-256 of the content, lowercase hex.</param>
public sealed record Digest(string Path, long Bytes, string Sha256);

/// <summary>The pipeline's work: a plain method, made submittable.</summary>
public static partial class Hashing
{
    private static readonly string EmptySha256 = Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty));

    /// <summary>Hashes one file with SHA-256, reading it in chunks so memory stays flat for large files.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="cancellationToken">Signalled when the future is cancelled or the executor shuts down with cancelFutures.</param>
    /// <exception cref="IOException">The file could not be read (deleted, locked, a dangling link...).</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to read the file.</exception>
    [Submittable]
    public static Digest Hash(string path, CancellationToken cancellationToken)
    {
        // Named pipes, sockets and devices report a length of 0, and opening a pipe would block forever;
        // an empty file has nothing to read anyway.
        if (new FileInfo(path).Length == 0)
        {
            return new Digest(path, 0, EmptySha256);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long bytes = 0;
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sha256.AppendData(buffer, 0, read);
                bytes += read;
            }

            return new Digest(path, bytes, Convert.ToHexStringLower(sha256.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
