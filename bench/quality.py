"""Peer for bench/quality.ts, two modes.

peers: scikit-learn's LinearRegression and HistGradientBoostingRegressor on the same lag windows and
the same chronological split as Trainyard, in two representations: the raw lags (levels in, next
level out), and differences (differences inside the window in, change over the horizon out, added
back to the last value). Each timed over fit + predict.

gbdt: HistGradientBoostingRegressor on exactly the encoded inputs and scaled targets Trainyard's
GBDT was given, with the same hyperparameters and number of trees (no early stopping: Trainyard's
validation-chosen tree count is passed in), decoded to levels the way Trainyard decodes."""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression

d = json.load(open(sys.argv[1]))


def scores(actual, predicted, seconds):
    e = predicted - actual
    return {"rmse": float(np.sqrt(np.mean(e**2))), "mae": float(np.mean(np.abs(e))), "seconds": seconds}


out = {}
if d["mode"] == "peers":
    for peer in d["peers"]:
        w = peer["window"]
        tr = slice(*peer["train"])
        te = slice(*peer["test"])
        suffix = "" if w == d["window"] else f", window {w}"
        x = np.array(peer["x"], dtype=np.float64).reshape(-1, w)
        y = np.array(peer["y"], dtype=np.float64)
        for name, make in [
            ("LinearRegression", LinearRegression),
            ("HistGradientBoosting", lambda: HistGradientBoostingRegressor(random_state=0)),
        ]:
            t0 = time.perf_counter()
            predicted = make().fit(x[tr], y[tr]).predict(x[te])
            out[f"{name} (lags{suffix})"] = scores(y[te], predicted, time.perf_counter() - t0)
            t0 = time.perf_counter()
            dx = np.diff(x, axis=1)
            change = y - x[:, -1]
            predicted = x[te, -1] + make().fit(dx[tr], change[tr]).predict(dx[te])
            out[f"{name} (differences{suffix})"] = scores(y[te], predicted, time.perf_counter() - t0)
else:
    tr = slice(*d["train"])
    te = slice(*d["test"])
    f = d["features"]
    x = np.array(d["x"], dtype=np.float64).reshape(-1, f)
    y = np.array(d["y"], dtype=np.float64)
    last = np.array(d["last"], dtype=np.float64)
    actual = np.array(d["actual"], dtype=np.float64)
    p = d["params"]
    t0 = time.perf_counter()
    model = HistGradientBoostingRegressor(
        max_iter=p["trees"],
        learning_rate=p["learningRate"],
        max_leaf_nodes=p["maxLeaves"],
        max_depth=p["maxDepth"] or None,
        min_samples_leaf=p["minLeaf"],
        l2_regularization=p["l2"],
        max_bins=p["bins"],
        early_stopping=False,
        random_state=0,
    ).fit(x[tr], y[tr])
    seconds = time.perf_counter() - t0
    change = model.predict(x[te]) * d["yScaler"]["scale"][0] + d["yScaler"]["center"][0]
    out[f"scikit-learn HistGradientBoosting ({p['trees']} trees)"] = scores(actual[te], last[te] + change, seconds)
print(json.dumps(out))
