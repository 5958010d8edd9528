"""Optuna's side of `npm run bench -- tpe-fidelity` (bench/tpe-fidelity.ts).

Reads JSON on stdin: {"draws": N, "cases": [{"label", "space": Trainyard's search space, "trials":
[{"params", "value"}], "ours": {name: [N proposals]}}]}. For each case, puts the trials into a study
as completed ones (study.add_trials), then draws 2N proposals from TPESampler with its defaults,
a fresh sampler seeded 0..2N-1 per proposal, each parameter through sample_independent in the
space's order (what study.ask does for an independent sampler; the study does not grow). Prints
JSON: per case and parameter, Trainyard's proposals against Optuna's first N (KS, and chi-square
and total variation for int and categorical parameters), and Optuna's first N against its second N.
"""
import json
import sys

import numpy as np
import optuna
from scipy import stats

optuna.logging.set_verbosity(optuna.logging.WARNING)


def distribution(d):
    if d["type"] == "categorical":
        return optuna.distributions.CategoricalDistribution(d["choices"])
    if d["type"] == "int":
        return optuna.distributions.IntDistribution(d["low"], d["high"], log=d.get("log", False), step=d.get("step", 1))
    return optuna.distributions.FloatDistribution(d["low"], d["high"], log=d.get("log", False), step=d.get("step"))


def optuna_draws(space, trials, seeds):
    dists = {name: distribution(d) for name, d in space.items()}
    study = optuna.create_study(direction="minimize")
    study.add_trials(
        [optuna.trial.create_trial(params=t["params"], distributions=dists, value=t["value"]) for t in trials]
    )
    out = {name: [] for name in dists}
    for seed in seeds:
        sampler = optuna.samplers.TPESampler(seed=seed)
        for name, dist in dists.items():
            # The trial is only read for a warning of multivariate TPE; univariate ignores it.
            out[name].append(sampler.sample_independent(study, None, name, dist))
    return out


def chi_square(a, b):
    """Chi-square p-value of the 2 x K table of counts (values rarer than 5 expected pooled) and TV."""
    values = sorted(set(a) | set(b), key=str)
    ca = np.array([sum(1 for v in a if v == x) for x in values], dtype=float)
    cb = np.array([sum(1 for v in b if v == x) for x in values], dtype=float)
    tv = 0.5 * float(np.abs(ca / ca.sum() - cb / cb.sum()).sum())
    expected = (ca + cb) / 2
    keep = expected >= 5
    table = [list(ca[keep]), list(cb[keep])]
    if (~keep).any():
        table[0].append(ca[~keep].sum())
        table[1].append(cb[~keep].sum())
    if len(table[0]) < 2:
        return 1.0, tv
    return float(stats.chi2_contingency(np.array(table))[1]), tv


def compare(kind, a, b):
    if kind == "categorical":
        # KS on the index of the choice: an ordering, but a fixed one on both sides.
        order = {}
        a_num = [order.setdefault(v, len(order)) for v in a]
        b_num = [order.setdefault(v, len(order)) for v in b]
    else:
        a_num, b_num = a, b
    ks = stats.ks_2samp(a_num, b_num)
    chi_p, tv = chi_square(a, b) if kind != "numeric" else (None, None)
    return float(ks.statistic), float(ks.pvalue), chi_p, tv


def evaluate(case, draws):
    theirs = optuna_draws(case["space"], case["trials"], range(2 * draws))
    rows = []
    for name, d in case["space"].items():
        kind = "categorical" if d["type"] == "categorical" else "int" if d["type"] == "int" else "numeric"
        ours = case["ours"][name]
        first, second = theirs[name][:draws], theirs[name][draws:]
        ks, ks_p, chi_p, tv = compare(kind, ours, first)
        null_ks, null_ks_p, null_chi_p, null_tv = compare(kind, first, second)
        rows.append({
            "param": name,
            "kind": kind,
            "ks": ks,
            "ksP": ks_p,
            "chiP": chi_p,
            "tv": tv,
            "nullKs": null_ks,
            "nullKsP": null_ks_p,
            "nullChiP": null_chi_p,
            "nullTv": null_tv,
            "medianOurs": None if kind == "categorical" else float(np.median(ours)),
            "medianOptuna": None if kind == "categorical" else float(np.median(first)),
        })
    print(f"optuna {case['label']} done", file=sys.stderr, flush=True)
    return rows


def main():
    job = json.load(sys.stdin)
    rows = [evaluate(c, job["draws"]) for c in job["cases"]]
    json.dump({"version": optuna.__version__, "rows": rows}, sys.stdout)


if __name__ == "__main__":
    main()
