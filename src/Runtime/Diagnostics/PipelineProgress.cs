using System.Globalization;

namespace Pipelines;

/// <summary>
/// How far a set of futures has come: how many there are, and how many succeeded, faulted or were cancelled
/// (Dask's <c>progress</c>). Reported by <see cref="Futures.Progress(System.Collections.Generic.IEnumerable{Future}, System.IProgress{PipelineProgress}?)"/>.
/// </summary>
/// <param name="Total">How many distinct futures are tracked.</param>
/// <param name="Succeeded">How many succeeded.</param>
/// <param name="Faulted">How many faulted (threw, or an argument future faulted).</param>
/// <param name="Cancelled">How many were cancelled.</param>
public readonly record struct PipelineProgress(int Total, int Succeeded, int Faulted, int Cancelled)
{
    /// <summary>How many are done, whatever their outcome.</summary>
    public int Done => Succeeded + Faulted + Cancelled;

    /// <summary>How many are not done yet (pending or running).</summary>
    public int Remaining => Total - Done;

    /// <summary>True once every tracked future is done (also when none are tracked).</summary>
    public bool IsComplete => Done == Total;

    /// <summary>The part done, from 0 to 1 (1 when none are tracked).</summary>
    public double Fraction => Total == 0 ? 1.0 : (double)Done / Total;

    /// <summary>E.g. <c>7/10 done (5 succeeded, 1 faulted, 1 cancelled)</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Done}/{Total} done ({Succeeded} succeeded, {Faulted} faulted, {Cancelled} cancelled)");
}
