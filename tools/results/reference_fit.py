"""The reference approach to fitting T (the paper's implementation: one least-squares call on the whole
[samples x tokens, d] activation matrix in memory), measured beside rba's streamed fit on the same activations.

    /usr/bin/python3 tools/results/reference_fit.py FIT_DIR HELDOUT_DIR IN OUT RBA_T.npy OUT.json

FIT_DIR and HELDOUT_DIR hold h_IN.npy and h_OUT.npy from `rba capture --npy` (float32 [samples, tokens, d]).
Fits T = argmin ||X T - Y||_F with torch.linalg.lstsq (no bias, no centring), times it, and records the peak RSS
of this process (resource.getrusage) before loading, after loading and after the fit. Then scores both T (torch's
and rba's, read from RBA_T.npy) on the held-out rows: ||X_h T - Y_h||_F^2 / ||Y_h||_F^2, in float64, and gives the
condition number of the Gram X^T X (float64 eigenvalues) of the fit rows.
"""
import json
import resource
import sys
import time

import numpy as np
import torch

REPEATS = 5


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux


def rows(folder, k):
    a = np.load(f"{folder}/h_{k}.npy")
    return a.reshape(-1, a.shape[-1]), a.shape[0]


def relative_residual(x, y, t):
    r = x @ t - y
    return float((r * r).sum() / (y * y).sum())


def main():
    fit_dir, held_dir, k_in, k_out, rba_t_path, out_path = sys.argv[1:7]
    torch.set_num_threads(2)  # the same two cores rba's fit uses
    rss_start = peak_rss_mb()
    x_np, samples = rows(fit_dir, k_in)
    y_np, _ = rows(fit_dir, k_out)
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    rss_loaded = peak_rss_mb()
    torch.linalg.lstsq(x[:64], y[:64])  # loads the LAPACK kernels before timing
    times = []
    for _ in range(REPEATS):  # the machine is shared: median and fastest of several runs
        t0 = time.perf_counter()
        sol = torch.linalg.lstsq(x, y)
        times.append(time.perf_counter() - t0)
    times.sort()
    rss_fit = peak_rss_mb()
    t_ref = sol.solution.double().numpy()

    xd = x_np.astype(np.float64)
    eig = np.linalg.eigvalsh(xd.T @ xd)
    cond = float(eig[-1] / eig[0]) if eig[0] > 0 else float("inf")
    train_ref = relative_residual(xd, y_np.astype(np.float64), t_ref)

    xh, _ = rows(held_dir, k_in)
    yh, held_samples = rows(held_dir, k_out)
    xh, yh = xh.astype(np.float64), yh.astype(np.float64)
    t_rba = np.load(rba_t_path).astype(np.float64)
    result = dict(samples=samples, rows=int(x_np.shape[0]), d=int(x_np.shape[1]), driver="gelsy (torch CPU default)",
                  lstsq_median_s=times[len(times) // 2], lstsq_min_s=times[0], repeats=REPEATS, rss_start_mb=rss_start, rss_loaded_mb=rss_loaded, rss_peak_mb=rss_fit,
                  matrix_mb=(x_np.nbytes + y_np.nbytes) / 2**20, gram_condition_number=cond,
                  train_relative_residual_reference=train_ref,
                  train_relative_residual_rba=relative_residual(xd, y_np.astype(np.float64), t_rba),
                  lstsq_rank=int(sol.rank), lstsq_default_rcond=float(torch.finfo(x.dtype).eps * max(x.shape)),
                  singular_value_ratio=float(np.sqrt(eig[0] / eig[-1])) if eig[0] > 0 else 0.0,
                  heldout_samples=held_samples, heldout_rows=int(xh.shape[0]),
                  heldout_relative_residual_reference=relative_residual(xh, yh, t_ref),
                  heldout_relative_residual_rba=relative_residual(xh, yh, t_rba),
                  t_max_abs_difference=float(np.abs(t_ref - t_rba).max()))
    with open(out_path, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
