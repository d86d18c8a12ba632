using System;
using System.Threading;

namespace Pipelines;

// The state word: how a future moves from Pending to exactly one terminal state.
public abstract partial class Future
{
    // Bits 0-2: the raw state. Bit 3: the exception was observed. Bits 4+: the count of argument futures a dependent
    // call still waits for (plus one held by its constructor), so a generated call needs no second counter field.
    private const int StateMask = 0b111;
    private const int ObservedFlag = 0b1000;
    private protected const int PendingArgumentUnit = 0b1_0000;

    private const int RawPending = (int)FutureState.Pending;
    private const int RawRunning = (int)FutureState.Running;
    private const int RawCancelled = (int)FutureState.Cancelled;

    // A thread that wins a transition to a terminal state first moves the word to one of these, writes the result or
    // exception, then publishes the terminal state. Readers see the previous public state meanwhile, so a value is
    // never visible before it is written, and only the winner ever writes it.
    private const int RawCompletingFromPending = 5;
    private const int RawCompletingFromRunning = 6;

    private int _stateWord;

    private protected int PendingArguments => Volatile.Read(ref _stateWord) >> 4;

    private static int RawState(int word) => word & StateMask;

    private static bool IsTerminal(int word) => RawState(word) is >= (int)FutureState.Succeeded and <= RawCancelled;

    private static FutureState PublicState(int word) => RawState(word) switch
    {
        RawCompletingFromPending => FutureState.Pending,
        RawCompletingFromRunning => FutureState.Running,
        int raw => (FutureState)raw,
    };

    /// <summary>Claims a pending future for running. Only one thread ever wins.</summary>
    private protected bool TryStart() => TryTransition(RawPending, RawRunning);

    /// <summary>Constructor only: the call holds one pending-argument count until it is started.</summary>
    private protected void HoldUntilStarted() => _stateWord = PendingArgumentUnit;

    /// <summary>
    /// Releases the constructor's hold without an interlocked operation when no argument is outstanding: an exact
    /// "Pending, one count, no flags" word means every registered argument already completed and counted down, and
    /// nobody else can change the word of a future its constructor has not returned yet.
    /// </summary>
    private protected bool TryReleaseHoldWithoutArguments()
    {
        if (Volatile.Read(ref _stateWord) != PendingArgumentUnit)
        {
            return false;
        }

        Volatile.Write(ref _stateWord, RawPending);
        return true;
    }

    /// <summary>A run that will be retried goes back to waiting (Running to Pending); only the running thread calls it.</summary>
    private protected bool TryReturnToPending() => TryTransition(RawRunning, RawPending);

    /// <summary>Adds <paramref name="delta"/> pending-argument units and returns the new count.</summary>
    private protected int AddPendingArguments(int delta) => Interlocked.Add(ref _stateWord, delta * PendingArgumentUnit) >> 4;

    private bool TryTransition(int from, int to)
    {
        while (true)
        {
            int word = Volatile.Read(ref _stateWord);
            if (RawState(word) != from)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _stateWord, word - from + to, word) == word)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Moves the future from <paramref name="from"/> (Pending or Running) to the terminal state <paramref name="to"/>
    /// and runs everything that waits for it. <paramref name="exception"/> goes with Faulted. False if the future was
    /// not in <paramref name="from"/> (another thread completed, cancelled or started it first).
    /// </summary>
    private protected bool TryComplete(FutureState from, FutureState to, FutureException? exception)
    {
        if (!TryBeginCompletion(from))
        {
            return false;
        }

        EndCompletion(from, to, exception);
        return true;
    }

    /// <summary>Wins the right to complete a future that is in <paramref name="from"/>; the winner then writes the outcome and calls <see cref="EndCompletion"/>.</summary>
    private protected bool TryBeginCompletion(FutureState from) =>
        TryTransition((int)from, from == FutureState.Pending ? RawCompletingFromPending : RawCompletingFromRunning);

    /// <summary>Publishes the terminal state <paramref name="to"/> after <see cref="TryBeginCompletion"/>, then runs everything that waits.</summary>
    private protected void EndCompletion(FutureState from, FutureState to, FutureException? exception)
    {
        if (exception is not null)
        {
            StoreException(exception);
        }

        // Only the count bits can change meanwhile (an argument completing late), so an add publishes the state.
        int completing = from == FutureState.Pending ? RawCompletingFromPending : RawCompletingFromRunning;
        Interlocked.Add(ref _stateWord, (int)to - completing);
        OnCompleted(ran: from == FutureState.Running);
    }

    /// <summary>Faults or cancels a future that has not started because an argument future did not succeed.</summary>
    private protected bool TryCompleteLike(Future argument, FutureState from = FutureState.Pending)
    {
        if (argument.State != FutureState.Faulted)
        {
            return TryComplete(from, FutureState.Cancelled, null);
        }

        // The failure moves on to this future, which now answers for it: the argument's copy counts as observed.
        argument.MarkExceptionObserved();
        return TryComplete(from, FutureState.Faulted, FutureException.Propagate(argument.ExceptionHolder!));
    }

    /// <summary>Finishes a running call from the exception it threw.</summary>
    private protected void CompleteRunningWith(Exception exception)
    {
        // An OperationCanceledException after we asked the call to stop means it honoured the request.
        bool cancelled = exception is OperationCanceledException
            && (IsCancellationRequested || _executor?.ShutdownToken.IsCancellationRequested == true);
        if (cancelled)
        {
            TryComplete(FutureState.Running, FutureState.Cancelled, null);
        }
        else
        {
            TryComplete(FutureState.Running, FutureState.Faulted, FutureException.Capture(exception, observed: false));
        }
    }

    /// <summary>Lets a call drop references it no longer needs once it is done (arguments, context), before its continuations run.</summary>
    private protected virtual void ReleaseResources()
    {
    }

    private void OnCompleted(bool ran)
    {
        if (Diagnostics.Telemetry.IsEnabled)
        {
            Diagnostics.Telemetry.CallCompleted(this, ran);
        }

        ReleaseResources();
        DropContext();
        if (_contingent is ContingentProperties contingent)
        {
            contingent.OnCompleted();
        }

        RunContinuationsOrDefer();
    }

    private protected void ThrowIfNotSucceeded()
    {
        switch (State)
        {
            case FutureState.Faulted:
                MarkExceptionObserved();
                ExceptionHolder!.Info.Throw();
                break;
            case FutureState.Cancelled:
                throw CancelledException();
        }
    }
}
