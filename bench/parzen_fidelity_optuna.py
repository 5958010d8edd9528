"""Optuna's side of `npm run bench -- parzen-fidelity` (bench/parzen-fidelity.ts).

Reads a JSON list of cases on stdin, each {"space": Trainyard's search space, "multivariate": bool,
"observations": {name: [values]}, "points": {name: [values]}} with categorical values given as the
index of their choice, builds Optuna 3.1's _ParzenEstimator with TPESampler's defaults (prior 1,
magic clip, no endpoints, default_weights) and prints, per case, its log density at the points and
its kernel bandwidths: once as Optuna runs (numpy's argsort, which orders tied values arbitrarily)
and once with a stable argsort (tied values kept in chronological order, as Trainyard ordered them
before it followed numpy's order too).
"""
import json
import sys

import numpy as np
import optuna
import optuna.samplers._tpe.parzen_estimator as parzen
from optuna.samplers._tpe.sampler import default_weights


def distribution(d):
    if d["type"] == "categorical":
        return optuna.distributions.CategoricalDistribution(d["choices"])
    if d["type"] == "int":
        return optuna.distributions.IntDistribution(d["low"], d["high"], log=d.get("log", False), step=d.get("step", 1))
    return optuna.distributions.FloatDistribution(d["low"], d["high"], log=d.get("log", False), step=d.get("step"))


class StableArgsort:
    """numpy as parzen_estimator sees it, except that argsort keeps ties in their given order."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def argsort(a, **kwargs):
        return np.argsort(a, kind="stable")


def evaluate(case):
    space = {name: distribution(d) for name, d in case["space"].items()}
    dtype = {name: int if d["type"] == "categorical" else float for name, d in case["space"].items()}
    params = parzen._ParzenEstimatorParameters(True, 1.0, True, False, default_weights, case["multivariate"])
    obs = {name: np.asarray(v, dtype=float) for name, v in case["observations"].items()}
    pts = {name: np.asarray(v, dtype=dtype[name]) for name, v in case["points"].items()}
    pe = parzen._ParzenEstimator({k: v.copy() for k, v in obs.items()}, space, params)
    sigmas = {name: pe._sigmas[name].tolist() for name in space if pe._sigmas[name] is not None}
    return {"logPdf": pe.log_pdf({k: v.copy() for k, v in pts.items()}).tolist(), "sigmas": sigmas}


def main():
    cases = json.load(sys.stdin)
    plain = [evaluate(c) for c in cases]
    parzen.np = StableArgsort()
    stable = [evaluate(c) for c in cases]
    json.dump({"version": optuna.__version__, "plain": plain, "stable": stable}, sys.stdout)


if __name__ == "__main__":
    main()
