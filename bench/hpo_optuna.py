"""Optuna's side of `npm run bench -- hpo` (bench/hpo.ts): the same objectives, seeds and budgets.

Reads a JSON job on stdin: {"objectives": [{"name", "space"}], "samplers": [...], "seeds": N,
"seed0": S (the first seed; 0 when absent), "trials": N, "checkpoints": [...], "history": N,
"asks": N}, where each space is Trainyard's search space. Prints JSON: the best value after each checkpoint per objective, sampler and seed, and the
sampling time (``study.ask``) with ``history`` finished trials in the study. In-memory storage and
WARNING verbosity, so storage and logging do not dominate the timing.
"""
import json
import math
import sys
import time

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)

H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H_P = [[v * 1e-4 for v in row] for row in [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                                           [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]]
ACTIVATION_COST = {"relu": 0.0, "tanh": 0.5, "sigmoid": 1.5}


def vec(p, d):
    return [p[f"x{i}"] for i in range(d)]


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(p):
    x = vec(p, 6)
    return -sum(H_ALPHA[i] * math.exp(-sum(H_A[i][j] * (x[j] - H_P[i][j]) ** 2 for j in range(6))) for i in range(4))


def rosenbrock10(p):
    x = vec(p, 10)
    return sum(100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2 for i in range(9))


def rastrigin10(p):
    x = vec(p, 10)
    return 10 * len(x) + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)


def ackley5(p):
    x = vec(p, 5)
    d = len(x)
    sq = sum(v * v for v in x) / d
    cs = sum(math.cos(2 * math.pi * v) for v in x) / d
    return -20 * math.exp(-0.2 * math.sqrt(sq)) - math.exp(cs) + 20 + math.e


def mixed(p):
    return (p["x"] - 1) ** 2 + (math.log10(p["lr"]) + 2) ** 2 + 0.05 * (p["units"] - 13) ** 2 + ACTIVATION_COST[p["activation"]]


OBJECTIVES = {f.__name__: f for f in (branin, hartmann6, rosenbrock10, rastrigin10, ackley5, mixed)}


def distributions(space):
    out = {}
    for name, d in space.items():
        if d["type"] == "categorical":
            out[name] = optuna.distributions.CategoricalDistribution(d["choices"])
        elif d["type"] == "int":
            out[name] = optuna.distributions.IntDistribution(d["low"], d["high"], log=d.get("log", False), step=d.get("step", 1))
        else:
            out[name] = optuna.distributions.FloatDistribution(d["low"], d["high"], log=d.get("log", False), step=d.get("step"))
    return out


def make_sampler(kind, seed):
    if kind == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if kind == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if kind == "tpe-multivariate":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    raise ValueError(kind)


def run(fn, dists, kind, seed, trials, checkpoints):
    study = optuna.create_study(sampler=make_sampler(kind, seed), direction="minimize")
    best = math.inf
    out = []
    for i in range(1, trials + 1):
        trial = study.ask(dists)
        v = fn(trial.params)
        study.tell(trial, v)
        best = min(best, v)
        if i in checkpoints:
            out.append(best)
    return out


def ask_time(fn, dists, kind, history, asks):
    """Median and least seconds of one ``ask`` (sampling every parameter) with ``history`` finished trials."""
    study = optuna.create_study(sampler=make_sampler(kind, 0), direction="minimize")
    filler = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1))
    pre = []
    for _ in range(history):
        t = filler.ask(dists)
        v = fn(t.params)
        filler.tell(t, v)
        pre.append(optuna.trial.create_trial(params=t.params, distributions=dists, value=v))
    study.add_trials(pre)
    times = []
    for _ in range(asks):
        start = time.perf_counter()
        t = study.ask(dists)
        times.append(time.perf_counter() - start)
        study.tell(t, fn(t.params))
    return {"median": float(np.median(times)), "min": float(np.min(times))}


def main():
    job = json.load(sys.stdin)
    result = {"version": optuna.__version__, "best": {}, "askSeconds": {}}
    seed0 = job.get("seed0", 0)
    for o in job["objectives"]:
        fn = OBJECTIVES[o["name"]]
        dists = distributions(o["space"])
        for kind in job["samplers"]:
            key = f'{o["name"]}/{kind}'
            result["best"][key] = [run(fn, dists, kind, seed, job["trials"], set(job["checkpoints"])) for seed in range(seed0, seed0 + job["seeds"])]
            if job.get("history"):
                result["askSeconds"][key] = ask_time(fn, dists, kind, job["history"], job["asks"])
            print(f"optuna {key} done", file=sys.stderr, flush=True)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
