// Every test starts CLI processes that train on the shared cores; running them one at a time
// keeps each trial's timing close to what the sweeps here are sized for.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
