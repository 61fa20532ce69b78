#!/usr/bin/env python3
"""PyTorch baseline for bench/wasm.ts: one thread, the identical network and epoch.

    python3 bench/torch_mlp.py --sizes 784,128,128,10 --activation relu --n 3000 --batch 32 --repeats 5

Trains an MLP (Linear layers, the activation between them, softmax cross-entropy,
SGD with momentum 0.9, lr 0.01) for one epoch over n random rows (uniform [0, 1)
inputs, random class labels), shuffled per epoch, batch `batch`; prints one JSON
line {"samples_per_s": median over repeats after one warm-up epoch}.
bench/wasm.ts runs it only when `python3 -c "import torch"` works.
"""
import argparse
import json
import statistics
import time

import torch

ACTS = {
    "relu": torch.nn.ReLU,
    "gelu": torch.nn.GELU,
    "silu": torch.nn.SiLU,
    "elu": torch.nn.ELU,
    "tanh": torch.nn.Tanh,
    "sigmoid": torch.nn.Sigmoid,
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", required=True)
    ap.add_argument("--activation", required=True, choices=sorted(ACTS))
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    sizes = [int(s) for s in a.sizes.split(",")]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(ACTS[a.activation]())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.rand(a.n, sizes[0])
    y = torch.randint(0, sizes[-1], (a.n,))

    def epoch() -> float:
        t0 = time.perf_counter()
        perm = torch.randperm(a.n)
        for b0 in range(0, a.n, a.batch):
            idx = perm[b0 : b0 + a.batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
        return time.perf_counter() - t0

    epoch()  # warm-up
    times = [epoch() for _ in range(a.repeats)]
    print(json.dumps({"samples_per_s": a.n / statistics.median(times)}))


if __name__ == "__main__":
    main()
