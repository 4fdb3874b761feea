#!/usr/bin/python3
"""The Python peer of bench/PlanningBench: scikit-learn's GaussianProcessRegressor (Matern nu=2.5
with one length scale per input, times a constant, plus white noise; normalised outputs; the same
hyper-parameter bounds as mihub) with expected improvement.

Two modes, each reading a JSON request from the file named on the command line and printing JSON
lines:

  simulate: pool-based Bayesian optimisation, Liang et al. 2021 protocol. For every run the request
            gives the initial designs (drawn by the Java side, so both planners start from the same
            points); the peer fits, picks the pool design with the largest EI, reveals it, and stops
            when the budget is spent or every top design was found. Prints the chosen indices.
  latency:  one proposal of a batch with 200 observations of the Hartmann-6 function in 6
            dimensions over uniform random pools: fit (with restarts), EI over the whole pool, then
            a batch by kriging believer (refit with fixed hyper-parameters on the fantasised point,
            re-score the pool) -- the usual way to build a batch with scikit-learn. Prints seconds.

Usage: /usr/bin/python3 bench/peer/planning_peer.py <request.json>
"""
import json
import sys
import time
import warnings

import numpy as np
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

warnings.filterwarnings("ignore", category=ConvergenceWarning)
CHUNK = 100_000


def kernel(d):
    return (ConstantKernel(1.0, (5e-2, 2e1)) * Matern(length_scale=np.full(d, 0.5), length_scale_bounds=(1e-2, 1e2), nu=2.5)
            + WhiteKernel(1e-2, (1e-6, 1.0)))


def fit(x, y, restarts, seed):
    gp = GaussianProcessRegressor(kernel=kernel(x.shape[1]), normalize_y=True, n_restarts_optimizer=restarts,
                                  random_state=seed)
    gp.fit(x, y)
    return gp


def refit_fixed(gp, x, y):
    fixed = GaussianProcessRegressor(kernel=gp.kernel_, normalize_y=True, optimizer=None)
    fixed.fit(x, y)
    return fixed


def expected_improvement(gp, pool, best):
    means, stds = [], []
    for start in range(0, len(pool), CHUNK):
        m, s = gp.predict(pool[start:start + CHUNK], return_std=True)
        means.append(m)
        stds.append(s)
    mean, std = np.concatenate(means), np.maximum(np.concatenate(stds), 1e-12)
    z = (mean - best) / std
    return mean, std * (z * norm.cdf(z) + norm.pdf(z))


def simulate(request):
    points = np.array(request["points"])
    score = np.array(request["score"])
    top = set(request["top"])
    evaluations = request["evaluations"]
    for run, initial in enumerate(request["initial"]):
        started = time.perf_counter()
        chosen = list(initial)
        available = np.ones(len(points), dtype=bool)
        available[chosen] = False
        previous = None
        while len(chosen) < evaluations and not top.issubset(chosen):
            # the same schedule as mihub: random restarts every RESTART_EVERY evaluations, otherwise
            # the optimiser starts from the previous fit's hyper-parameters only
            if previous is None or len(chosen) % request["restart_every"] == 0:
                gp = fit(points[chosen], score[chosen], request["restarts"], request["seeds"][run])
            else:
                gp = GaussianProcessRegressor(kernel=previous, normalize_y=True, n_restarts_optimizer=0)
                gp.fit(points[chosen], score[chosen])
            previous = gp.kernel_
            _, ei = expected_improvement(gp, points, score[chosen].max())
            ei[~available] = -np.inf
            pick = int(np.argmax(ei))
            chosen.append(pick)
            available[pick] = False
        print(json.dumps({"run": run, "chosen": chosen, "seconds": time.perf_counter() - started}), flush=True)


def hartmann6(x):
    alpha = np.array([1.0, 1.2, 3.0, 3.2])
    a = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8],
                  [17, 8, 0.05, 10, 0.1, 14]])
    p = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                         [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
    return np.sum(alpha * np.exp(-np.sum(a * (x[:, None, :] - p) ** 2, axis=2)), axis=1)


def latency(request):
    rng = np.random.default_rng(request["seed"])
    x = rng.random((request["observations"], 6))
    y = hartmann6(x)
    for size in request["pools"]:
        pool = rng.random((size, 6))
        started = time.perf_counter()
        gp = fit(x, y, request["restarts"], request["seed"])
        fitted = time.perf_counter()
        xs, ys = x, y
        available = np.ones(size, dtype=bool)
        picks = []
        for _ in range(request["batch"]):
            mean, ei = expected_improvement(gp, pool, ys.max())
            ei[~available] = -np.inf
            pick = int(np.argmax(ei))
            picks.append(pick)
            available[pick] = False
            xs = np.vstack([xs, pool[pick]])
            ys = np.append(ys, mean[pick])
            gp = refit_fixed(gp, xs, ys)
        done = time.perf_counter()
        print(json.dumps({"pool": size, "fit_seconds": fitted - started, "select_seconds": done - fitted,
                          "total_seconds": done - started}), flush=True)


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        request = json.load(handle)
    {"simulate": simulate, "latency": latency}[request["mode"]](request)
