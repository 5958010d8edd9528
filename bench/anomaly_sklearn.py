"""Peer for bench/anomaly.ts: scikit-learn's IsolationForest with its defaults (100 trees,
max_samples='auto', contamination='auto') on the windows Trainyard's detectors see, fitted on the
training windows only. For each seed it returns the score of every window (-score_samples, higher
= more anomalous) and the threshold its own predict() flags above (-offset_)."""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest

d = json.load(open(sys.argv[1]))
out = {}
for name, inputs in d["inputs"].items():
    x = np.array(inputs["x"], dtype=np.float64).reshape(inputs["count"], inputs["features"])
    train = x[: inputs["trainWindows"]]
    runs = []
    for seed in d["seeds"]:
        t = time.perf_counter()
        f = IsolationForest(random_state=seed).fit(train)
        scores = -f.score_samples(x)
        runs.append({"seconds": time.perf_counter() - t, "scores": scores.tolist(), "threshold": float(-f.offset_)})
    out[name] = runs
print(json.dumps(out))
