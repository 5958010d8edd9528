"""Trainyard's helper for your own training scripts: one file, standard library only.

Copy it next to your script (``trainyard python-helper --path`` prints where it is) and:

    import trainyard
    params = trainyard.params()                  # the job's params (TRAINYARD_PARAMS), {} outside Trainyard
    for epoch in range(params.get("epochs", 10)):
        ...
        trainyard.log(step=epoch, loss=loss, accuracy=acc)
        if trainyard.should_prune():             # the study pruned this trial, or the job was cancelled
            break
    trainyard.artifacts_dir()                    # save files here: they become the run's artifacts

Nothing here is required: a script may print ``TRAINYARD_METRIC {"step": 3, "loss": 0.41}`` lines
itself, or append JSON lines to the file named by TRAINYARD_METRICS_FILE. Outside Trainyard the helper
prints the metric lines and ``should_prune()`` is always False, so the script runs anywhere.
"""
import json
import math
import os
import sys

__all__ = ["log", "params", "should_prune", "artifacts_dir", "METRIC_PREFIX"]

METRIC_PREFIX = "TRAINYARD_METRIC "


def params():
    """The job's params: the study's trial values over the job's own, as a dict."""
    raw = os.environ.get("TRAINYARD_PARAMS")
    return json.loads(raw) if raw else {}


def log(step=None, **metrics):
    """Records metrics at a step (a whole number; the next step after the last when left out).

    Values must be numbers; NaN and infinities are sent as null, which Trainyard skips.
    """
    record = {}
    if step is not None:
        if isinstance(step, bool) or int(step) != step or step < 0:
            raise ValueError("step must be a whole number >= 0, not %r" % (step,))
        record["step"] = int(step)
    for key, value in metrics.items():
        value = float(value)  # numpy and torch scalars included
        record[key] = value if math.isfinite(value) else None
    line = json.dumps(record, separators=(",", ":"))
    path = os.environ.get("TRAINYARD_METRICS_FILE")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    else:
        sys.stdout.write(METRIC_PREFIX + line + "\n")
        sys.stdout.flush()


def should_prune():
    """True once Trainyard asked this run to stop: a study pruned the trial, or the job was cancelled.

    Stop cleanly when it says so (save what you need first); Trainyard sends SIGTERM a second after
    asking, then SIGKILL after the job's grace period.
    """
    path = os.environ.get("TRAINYARD_PRUNE_FILE")
    return bool(path) and os.path.exists(path)


def artifacts_dir():
    """Where to save the run's files (TRAINYARD_ARTIFACTS_DIR); the current folder outside Trainyard."""
    return os.environ.get("TRAINYARD_ARTIFACTS_DIR") or os.getcwd()
