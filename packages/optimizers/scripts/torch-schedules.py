"""Prints torch.optim.lr_scheduler learning rates embedded in src/torch-reference.test.ts.

Run: /usr/bin/python3 packages/optimizers/scripts/torch-schedules.py
Each case: SGD over one parameter with lr=0.1; the scheduler is stepped once per step; lrs[t] is the lr at step t.
"""
import json

import torch
from torch.optim import lr_scheduler as S


def lrs(make, steps=12):
    p = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=0.1)
    scheduler = make(optimizer)
    out = []
    for _ in range(steps):
        out.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return out


CASES = [
    ("StepLR(optimizer, step_size=3, gamma=0.5)", {"name": "step-decay", "config": {"stepSize": 3, "gamma": 0.5}},
     lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
    ("ExponentialLR(optimizer, gamma=0.8)", {"name": "exponential-decay", "config": {"gamma": 0.8}},
     lambda o: S.ExponentialLR(o, gamma=0.8)),
    ("CosineAnnealingLR(optimizer, T_max=10, eta_min=0.001)",
     {"name": "cosine-annealing", "config": {"tMax": 10, "etaMin": 0.001}},
     lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
    ("LinearLR(optimizer, total_iters=4)  (start_factor 1/3)",
     {"name": "linear-warmup", "config": {"warmupSteps": 4}},
     lambda o: S.LinearLR(o, total_iters=4)),
    ("SequentialLR(optimizer, [LinearLR(optimizer, start_factor=0.5, total_iters=3), CosineAnnealingLR(optimizer, T_max=6)], milestones=[3])",
     {"name": "linear-warmup", "config": {"warmupSteps": 3, "startFactor": 0.5,
                                           "then": {"name": "cosine-annealing", "config": {"tMax": 6}}}},
     lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.5, total_iters=3), S.CosineAnnealingLR(o, T_max=6)],
                              milestones=[3])),
]

print(json.dumps([dict(call=c, schedule=s, lrs=lrs(make)) for c, s, make in CASES], indent=1))
