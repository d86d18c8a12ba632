using Xunit;

// A dashboard records every pipeline of the process: its tests run one at a time, so each sees its own calls only.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
