"""PyTorch, the bench's native reference: trains W2 and W3 exactly as tools/bench/src/workloads.ts specifies.

Run by tools/bench/src/runners/torch.ts as `/usr/bin/python3 torch_runner.py THREADS`; reads one JSON request per
line on stdin, answers one JSON line on stdout. Arrays come as raw little-endian float32 files (written once per
workload by the bench), so a request carries only paths, sizes and the amount of work. The clocks (wall and
process CPU time, every thread of this process) run around the training loop only.
"""

import json
import sys
import time

try:
    import torch
except Exception as error:  # the bench prints this as the reason the column is empty
    print(json.dumps({"type": "unavailable", "reason": f"cannot import torch in {sys.executable}: {error}"}), flush=True)
    sys.exit(0)

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 1
torch.set_num_threads(THREADS)
torch.manual_seed(42)

_arrays = {}


def load(path, shape):
    key = (path, tuple(shape))
    if key not in _arrays:
        with open(path, "rb") as f:
            raw = bytearray(f.read())
        _arrays[key] = torch.frombuffer(raw, dtype=torch.float32).reshape(shape).clone()
    return _arrays[key]


def model_of(req):
    w = req["workload"]
    sizes = w["sizes"]
    layers = []
    for i in range(len(sizes) - 1):
        linear = torch.nn.Linear(sizes[i], sizes[i + 1])
        with torch.no_grad():
            # deltaflow's W is [in, out] (W_ij at i * out + j); nn.Linear keeps [out, in].
            linear.weight.copy_(load(req["weights"][i], [sizes[i], sizes[i + 1]]).t())
            linear.bias.copy_(load(req["biases"][i], [sizes[i + 1]]))
        layers.append(linear)
        last = i == len(sizes) - 2
        act = w["output"] if last else w["hidden"]
        if act == "sigmoid":
            layers.append(torch.nn.Sigmoid())
        elif act == "relu":
            layers.append(torch.nn.ReLU())
        # softmax is fused into cross_entropy
    return torch.nn.Sequential(*layers)


def run(req):
    w = req["workload"]
    sizes = w["sizes"]
    rows = req["rows"]
    x_all = load(req["inputs"], [req["totalRows"], sizes[0]])[:rows]
    t_all = load(req["targets"], [req["totalRows"], sizes[-1]])[:rows]
    model = model_of(req)
    optimizer = torch.optim.SGD(model.parameters(), lr=w["lr"])
    batch = min(w["batchSize"], rows)
    mse = w["loss"] == "mse"
    labels_all = t_all.argmax(dim=1)
    steps = 0
    loss = None
    wall0 = time.perf_counter()
    cpu0 = time.process_time()
    for _ in range(req["epochs"]):
        # a fresh order every epoch, as deltaflow's shuffle
        order = torch.randperm(rows)
        x_epoch = x_all.index_select(0, order)
        t_epoch = t_all.index_select(0, order) if mse else labels_all.index_select(0, order)
        for start in range(0, rows, batch):
            x = x_epoch[start : start + batch]
            t = t_epoch[start : start + batch]
            optimizer.zero_grad(set_to_none=True)
            out = model(x)
            if mse:
                # deltaflow's mse: mean over the batch of 1/2 sum_k (O_k - t_k)^2
                loss = 0.5 * (out - t).pow(2).sum() / x.shape[0]
            else:
                loss = torch.nn.functional.cross_entropy(out, t)
            loss.backward()
            optimizer.step()
            steps += 1
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    result = {
        "seconds": wall,
        "cpuSeconds": cpu,
        "samples": req["epochs"] * rows,
        "iterations": steps if w["id"] == "W3" else req["epochs"],
        "loss": float(loss.item()) if loss is not None else float("nan"),
    }
    if req.get("testInputs"):
        n = req["testRows"]
        xt = load(req["testInputs"], [n, sizes[0]])
        tt = load(req["testTargets"], [n, sizes[-1]])
        with torch.no_grad():
            predicted = model(xt).argmax(dim=1)
        result["accuracy"] = float((predicted == tt.argmax(dim=1)).float().mean().item())
    return result


def main():
    print(
        json.dumps(
            {
                "type": "ready",
                "version": torch.__version__,
                "threads": torch.get_num_threads(),
                "python": sys.executable,
            }
        ),
        flush=True,
    )
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            print(json.dumps({"type": "run", "result": run(req)}), flush=True)
        except Exception as error:
            print(json.dumps({"type": "error", "message": repr(error)}), flush=True)


main()
