"""Peer for bench/registry-predict.ts: scikit-learn Ridge.predict and a PyTorch MLP forward pass on
the same encoded window matrix Trainyard's forecasters read, timed the same way (median of repeats).
Reads one JSON file: {x, features, reps, mlp: {layers, hiddenUnits}}; prints one JSON line."""
import json
import sys
import time

import numpy as np


def median_seconds(fn, reps):
    fn()  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def main():
    job = json.load(open(sys.argv[1]))
    x = np.asarray(job["x"], dtype=np.float64).reshape(-1, job["features"])
    rows = x.shape[0]
    out = {}
    from sklearn import __version__ as skv
    from sklearn.linear_model import Ridge

    # The fit is not timed: predict costs the same whatever the coefficients.
    ridge = Ridge(alpha=1.0).fit(x, np.sin(np.arange(rows)))
    s = median_seconds(lambda: ridge.predict(x), job["reps"])
    out["ridge"] = {"peer": f"scikit-learn {skv} Ridge.predict", "seconds": s, "rows": rows}

    import torch

    torch.manual_seed(0)
    layers = []
    width = job["features"]
    for _ in range(job["mlp"]["layers"]):
        layers += [torch.nn.Linear(width, job["mlp"]["hiddenUnits"]), torch.nn.ReLU()]
        width = job["mlp"]["hiddenUnits"]
    layers.append(torch.nn.Linear(width, 1))
    net = torch.nn.Sequential(*layers).eval()
    xt = torch.from_numpy(x.astype(np.float32))

    def forward():
        with torch.no_grad():
            return net(xt).numpy()

    s = median_seconds(forward, job["reps"])
    out["mlp"] = {"peer": f"PyTorch {torch.__version__} MLP forward (CPU, {torch.get_num_threads()} threads)", "seconds": s, "rows": rows}
    print(json.dumps(out))


main()
