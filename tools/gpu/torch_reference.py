"""What a user would otherwise run on the GPU: PyTorch's X^T X and torch.linalg.lstsq from host tensors.

Times (median of repeats after warm-up) the same shapes as `rba bench linalg --backend cuda`, fp32 and TF32,
host-to-device copies included, and prints one JSON line per measurement. Run on the GPU host:
    python3 tools/gpu/torch_reference.py --rows 1000000 --dims 768 1024
"""
import argparse
import json
import statistics
import time

import torch


def timed(fn, warmups, repeats):
    for _ in range(warmups):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--dims", type=int, nargs="+", default=[768, 1024])
    ap.add_argument("--lstsq-rows", type=int, default=1_000_000)
    ap.add_argument("--warmups", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    dev = torch.device("cuda")
    name = torch.cuda.get_device_name(0)
    g = torch.Generator().manual_seed(7)
    for d in a.dims:
        x = torch.randn(a.rows, d, generator=g, dtype=torch.float32)
        x_pinned = x.pin_memory()
        for precision in ("fp32", "tf32"):
            torch.backends.cuda.matmul.allow_tf32 = precision == "tf32"
            for label, host in (("pageable", x), ("pinned", x_pinned)):
                def gram():
                    xd = host.to(dev, non_blocking=True)
                    return xd.T @ xd
                med, mn = timed(gram, a.warmups, a.repeats)
                flops = 2.0 * a.rows * d * d
                print(json.dumps({"gpu": name, "torch": torch.__version__, "op": "X.T@X", "host": label, "precision": precision,
                                  "rows": a.rows, "dim": d, "seconds_median": med, "seconds_min": mn,
                                  "gflops": flops / med / 1e9}), flush=True)
            xd = x_pinned.to(dev)
            med, mn = timed(lambda: xd.T @ xd, a.warmups, a.repeats)
            print(json.dumps({"gpu": name, "op": "X.T@X (device-resident, no copy)", "precision": precision, "rows": a.rows,
                              "dim": d, "seconds_median": med, "gflops": 2.0 * a.rows * d * d / med / 1e9}), flush=True)
            del xd
            # the reference implementation's call: least squares on the whole activation matrix held in memory
            n = min(a.lstsq_rows, a.rows)
            y = x[:n].roll(1, dims=1).pin_memory()
            xs = x_pinned[:n]
            def lstsq():
                return torch.linalg.lstsq(xs.to(dev, non_blocking=True), y.to(dev, non_blocking=True)).solution
            try:
                med, mn = timed(lstsq, a.warmups, max(2, a.repeats // 2))
                print(json.dumps({"gpu": name, "op": "torch.linalg.lstsq", "precision": precision, "rows": n, "dim": d,
                                  "seconds_median": med, "seconds_min": mn}), flush=True)
            except RuntimeError as e:  # out of memory on smaller GPUs
                print(json.dumps({"op": "torch.linalg.lstsq", "rows": n, "dim": d, "error": str(e).splitlines()[0]}), flush=True)
            del y
        del x, x_pinned
        torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
