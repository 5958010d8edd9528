"""A small PyTorch network on scikit-learn's bundled digits (8x8 images, 10 classes).

Reports loss, val_loss and val_accuracy per epoch through Trainyard's helper, saves the weights as an
artifact, and stops cleanly when Trainyard asks (a pruned trial, a cancel). Run it alone
(``python3 train.py --epochs 5``) or queued:

    trainyard run --name digits -- python3 train.py --lr {lr} --hidden {hidden} --epochs 20

The --crash-at and --segfault-at flags make it fail on purpose (for Trainyard's own tests).
"""
import argparse
import os
import signal
import sys
import time

# The helper beside Trainyard's resources; no bytecode written into that folder (it may be read-only).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "resources", "python"))
import trainyard  # noqa: E402

import torch  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402


def main():
    defaults = trainyard.params()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lr", type=float, default=defaults.get("lr", 0.01))
    ap.add_argument("--hidden", type=int, default=defaults.get("hidden", 32))
    ap.add_argument("--epochs", type=int, default=defaults.get("epochs", 10))
    ap.add_argument("--seed", type=int, default=defaults.get("seed", 0))
    ap.add_argument("--sleep", type=float, default=0.0, help="seconds to wait after each epoch (to watch it run)")
    ap.add_argument("--crash-at", type=int, default=None, help="exit with code 1 after this epoch")
    ap.add_argument("--segfault-at", type=int, default=None, help="die of SIGSEGV after this epoch")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    x, y = load_digits(return_X_y=True)
    x_train, x_val, y_train, y_val = train_test_split(x / 16.0, y, test_size=0.25, random_state=args.seed, stratify=y)
    x_train, x_val = torch.tensor(x_train, dtype=torch.float32), torch.tensor(x_val, dtype=torch.float32)
    y_train, y_val = torch.tensor(y_train), torch.tensor(y_val)

    model = torch.nn.Sequential(torch.nn.Linear(64, args.hidden), torch.nn.ReLU(), torch.nn.Linear(args.hidden, 10))
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    print("training on %s (CUDA_VISIBLE_DEVICES=%r): %d train rows, %d validation rows" % (device, os.environ.get("CUDA_VISIBLE_DEVICES"), len(y_train), len(y_val)), flush=True)

    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(y_train))
        total = 0.0
        for i in range(0, len(perm), 64):
            idx = perm[i : i + 64]
            opt.zero_grad()
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(x_val)
            val_loss = loss_fn(logits, y_val).item()
            val_acc = (logits.argmax(1) == y_val).float().mean().item()
        trainyard.log(step=epoch, loss=total / len(y_train), val_loss=val_loss, val_accuracy=val_acc)
        print("epoch %d: loss %.4f val_loss %.4f val_accuracy %.4f" % (epoch, total / len(y_train), val_loss, val_acc), flush=True)
        if args.crash_at is not None and epoch >= args.crash_at:
            print("crashing on purpose after epoch %d" % epoch, file=sys.stderr, flush=True)
            sys.exit(1)
        if args.segfault_at is not None and epoch >= args.segfault_at:
            os.kill(os.getpid(), signal.SIGSEGV)
        if trainyard.should_prune():
            print("Trainyard asked to stop after epoch %d; stopping cleanly" % epoch, flush=True)
            return
        if args.sleep:
            time.sleep(args.sleep)

    torch.save(model.state_dict(), os.path.join(trainyard.artifacts_dir(), "model.pt"))


if __name__ == "__main__":
    main()
