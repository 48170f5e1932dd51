#!/usr/bin/python3
"""Optuna 3.1's pruners on recorded learning curves, in a given arrival order: the independent reference of
SweepCluster's early stopping (src/SweepCluster.Cluster/EarlyStopping/StoppingJudge.cs).

Reads JSON on standard input: a list of cases, each

    {"rule": "asha" | "median" | "median-running-average", "maximize": true, "grace": 2,
     "reduction_factor": 3, "min_trials": 3,
     "events": [["report", "trial-a", 1, 21.5], ["complete", "trial-a", 0, 0.0], ...]}

and writes, for each case, {"pruned": {"trial-a": 4, ...}} (the epoch each pruned trial was pruned at) as a JSON list.

Every trial is an Optuna trial (study.ask at its first report); after each report the trial asks should_prune(), and a
pruned trial is told PRUNED and reports nothing more. A "complete" event tells the trial COMPLETE with its last value.

- asha: SuccessiveHalvingPruner(min_resource=grace, reduction_factor, min_early_stopping_rate=0).
- median: MedianPruner(n_startup_trials=0, n_warmup_steps=grace, interval_steps=1, n_min_trials=min_trials).
- median-running-average: the same MedianPruner, but a completed trial enters the study with its running averages
  (mean of epochs 1..e at each e) as its intermediate values: Google Vizier's median rule, which SweepCluster runs,
  computed by Optuna's own percentile machinery. The live trial's best value is its raw best, as in both.
"""
import json
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)


def pruner_of(case):
    if case["rule"] == "asha":
        return optuna.pruners.SuccessiveHalvingPruner(
            min_resource=case["grace"], reduction_factor=case["reduction_factor"], min_early_stopping_rate=0)
    return optuna.pruners.MedianPruner(
        n_startup_trials=0, n_warmup_steps=case["grace"], interval_steps=1, n_min_trials=case["min_trials"])


def run(case):
    study = optuna.create_study(
        direction="maximize" if case["maximize"] else "minimize",
        pruner=pruner_of(case),
        sampler=optuna.samplers.RandomSampler(seed=0))
    running_average = case["rule"] == "median-running-average"
    live, curves, pruned = {}, {}, {}
    for kind, name, epoch, value in case["events"]:
        if name in pruned:
            continue
        if kind == "report":
            curve = curves.setdefault(name, {})
            if epoch in curve:
                continue
            trial = live.get(name)
            if trial is None:
                trial = live[name] = study.ask()
            curve[epoch] = value
            trial.report(value, epoch)
            if trial.should_prune():
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
                pruned[name] = epoch
                del live[name]
        elif kind == "complete":
            trial = live.pop(name, None)
            if trial is None:
                continue
            curve = curves[name]
            last = curve[max(curve)]
            if not running_average:
                study.tell(trial, last)
                continue
            # Only COMPLETE trials count for the median: the live trial leaves as FAIL, and its running averages enter.
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            averages, total = {}, 0.0
            for i, step in enumerate(sorted(curve)):
                total += curve[step]
                averages[step] = total / (i + 1)
            study.add_trial(optuna.trial.create_trial(
                state=optuna.trial.TrialState.COMPLETE, value=last, intermediate_values=averages,
                params={}, distributions={}))
        else:
            raise ValueError(f"unknown event kind {kind!r}")
    return {"pruned": pruned}


def main():
    cases = json.load(sys.stdin)
    json.dump([run(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
