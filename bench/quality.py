"""Peer for bench/quality.ts: scikit-learn's LinearRegression and HistGradientBoostingRegressor on
the same lag windows and the same chronological split as Trainyard, in two representations:
the raw lags (levels in, next level out), and Trainyard's own (differences inside the window in,
change over the horizon out, added back to the last value)."""
import json
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression

d = json.load(open(sys.argv[1]))
w = d["window"]
x = np.array(d["x"], dtype=np.float64).reshape(-1, w)
y = np.array(d["y"], dtype=np.float64)
tr = slice(*d["train"])
te = slice(*d["test"])


def scores(actual, predicted):
    e = predicted - actual
    return {"rmse": float(np.sqrt(np.mean(e**2))), "mae": float(np.mean(np.abs(e)))}


out = {}
for name, make in [
    ("LinearRegression", LinearRegression),
    ("HistGradientBoosting", lambda: HistGradientBoostingRegressor(random_state=0)),
]:
    lags = make().fit(x[tr], y[tr])
    out[f"{name} (lags)"] = scores(y[te], lags.predict(x[te]))
    dx = np.diff(x, axis=1)
    change = y - x[:, -1]
    diffs = make().fit(dx[tr], change[tr])
    out[f"{name} (differences)"] = scores(y[te], x[te, -1] + diffs.predict(dx[te]))
print(json.dumps(out))
