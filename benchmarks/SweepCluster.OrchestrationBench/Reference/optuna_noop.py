#!/usr/bin/python3
"""Optuna's per-trial orchestration cost: N no-op trials with W workers on one RDB storage.

The reference for SweepCluster's orchestration overhead benchmark. Each trial's objective returns
0.0 at once, so the wall time is Optuna's own bookkeeping: creating the trial row, sampling (no
parameters), and recording the value and state in the shared storage.

Prints one JSON object on its last line of standard output:
  {"wall_s": ..., "trials_complete": ..., "trials_total": ..., "errors": ..., "mode": ..., "jobs": ..., "optuna": ...}

Modes:
  threads    study.optimize(objective, n_trials=N, n_jobs=W): W threads in one process (Optuna's own way).
  processes  W processes, each load_study + optimize(n_trials=N/W), started together behind a barrier
             (the timed part starts when every worker has imported Optuna and loaded the study).
"""
import argparse
import json
import multiprocessing
import sys
import time

import optuna


def make_storage(url, jobs):
    if url.startswith("sqlite"):
        # Writers queue on SQLite's lock instead of failing with "database is locked".
        kwargs = {"connect_args": {"timeout": 600}}
    else:
        # One pooled connection per worker, as the coordinator's pool gives each concurrent request one.
        kwargs = {"pool_size": jobs, "max_overflow": 0}
    return optuna.storages.RDBStorage(url, engine_kwargs=kwargs)


def objective(_trial):
    return 0.0


def worker(url, study_name, trials, jobs, barrier, results):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = make_storage(url, 1)
    study = optuna.load_study(study_name=study_name, storage=storage)
    barrier.wait()
    errors = 0
    try:
        study.optimize(objective, n_trials=trials, n_jobs=1)
    except Exception as error:  # noqa: BLE001 - every failure counts as an error of the run
        print(f"worker error: {error!r}", file=sys.stderr)
        errors += 1
    results.put(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--storage", required=True, help="SQLAlchemy URL: sqlite:///file.db or postgresql+psycopg2://user@host:port/db")
    parser.add_argument("--trials", type=int, default=10000)
    parser.add_argument("--jobs", type=int, default=32)
    parser.add_argument("--mode", choices=["threads", "processes"], default="threads")
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study_name = f"noop-{int(time.time() * 1000)}"
    storage = make_storage(args.storage, args.jobs)
    study = optuna.create_study(study_name=study_name, storage=storage, direction="maximize")

    errors = 0
    if args.mode == "threads":
        start = time.perf_counter()
        try:
            study.optimize(objective, n_trials=args.trials, n_jobs=args.jobs)
        except Exception as error:  # noqa: BLE001
            print(f"optimize error: {error!r}", file=sys.stderr)
            errors += 1
        wall = time.perf_counter() - start
    else:
        context = multiprocessing.get_context("spawn")
        barrier = context.Barrier(args.jobs + 1)
        results = context.Queue()
        shares = [args.trials // args.jobs + (1 if i < args.trials % args.jobs else 0) for i in range(args.jobs)]
        workers = [context.Process(target=worker, args=(args.storage, study_name, share, args.jobs, barrier, results)) for share in shares]
        for process in workers:
            process.start()
        barrier.wait()
        start = time.perf_counter()
        for _ in workers:
            errors += results.get()
        wall = time.perf_counter() - start
        for process in workers:
            process.join()
            if process.exitcode != 0:
                errors += 1

    states = [t.state for t in study.get_trials(deepcopy=False)]
    complete = sum(1 for s in states if s == optuna.trial.TrialState.COMPLETE)
    errors += len(states) - complete
    print(json.dumps({
        "wall_s": wall,
        "trials_complete": complete,
        "trials_total": len(states),
        "errors": errors,
        "mode": args.mode,
        "jobs": args.jobs,
        "optuna": optuna.__version__,
    }))


if __name__ == "__main__":
    main()
