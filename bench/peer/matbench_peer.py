#!/usr/bin/python3
"""The Python peer of bench/MatbenchBench: pymatgen parses the compositions, numpy computes the
same 248 magpie-v3 features from the project's element and oxidation-state tables (the same
definitions as prediction-service's MagpieFeaturiser: 142 statistics, norms and orbital fractions,
the fraction of each element H to Lr, then the three ionic-compound attributes), and scikit-learn's RandomForestRegressor (500 trees,
defaults otherwise, i.e. the Matbench RF baseline setting) learns and predicts. Its uncertainty is
the spread of the tree predictions, the common practice with scikit-learn forests.

With --featuriser=element_fraction it learns from the 103 atomic fractions alone instead, as
prediction-service's ElementFractionFeaturiser does.

Usage: /usr/bin/python3 bench/peer/matbench_peer.py [--featuriser=magpie|element_fraction] <task csv> <trees> <seed>
       <threads> [throughput formulas file]
Prints one JSON object per line: without a formulas file the five fold results; with one, the
throughput figure of a forest trained on the whole task (the best of three timed passes, and all three).
"""
import json
import pathlib
import sys
import time
import warnings

import numpy as np
from pymatgen.core import Composition
from sklearn.ensemble import RandomForestRegressor

TABLE = pathlib.Path(__file__).resolve().parents[2] / "prediction-service/src/main/resources/org/mihub/prediction/features/elements.tsv"


def load_table():
    rows = [line.rstrip("\n").split("\t") for line in TABLE.read_text().splitlines() if line and not line.startswith("#")]
    header, body = rows[0], rows[1:]
    symbols = [row[0] for row in body]
    values = np.array([[float(cell) if cell else np.nan for cell in row[1:]] for row in body])
    means = np.nanmean(values, axis=0)
    missing = np.isnan(values)
    values[missing] = np.take(means, np.where(missing)[1])
    return header[1:], {symbol: i for i, symbol in enumerate(symbols)}, values


PROPERTIES, INDEX, VALUES = load_table()
STATES = {cells[0]: sorted(int(state) for state in cells[1].split(","))
          for cells in (line.split("\t") for line in (TABLE.parent / "oxidation_states.tsv").read_text().splitlines()
                        if line and not line.startswith("#") and not line.startswith("symbol"))}
ELECTRONEGATIVITY = PROPERTIES.index("Electronegativity")
MAX_SUMS = 100000


def charge_balance(amounts):
    """1 when one common oxidation state per element cancels the charges, 0 when none does, 0.5 past
    MAX_SUMS open partial sums: the rule of prediction-service's IonicAttributes."""
    items = sorted(amounts.items(), key=lambda item: (-item[1], item[0]))
    lowest, highest = [0.0] * (len(items) + 1), [0.0] * (len(items) + 1)
    for k in range(len(items) - 1, -1, -1):
        symbol, amount = items[k]
        lowest[k] = lowest[k + 1] + amount * STATES[symbol][0]
        highest[k] = highest[k + 1] + amount * STATES[symbol][-1]
    tolerance = 1e-6 * sum(amounts.values())
    sums = {0.0}
    for k, (symbol, amount) in enumerate(items):
        following = set()
        for partial in sums:
            for state in STATES[symbol]:
                charge = round(partial + amount * state, 9)
                if charge + lowest[k + 1] <= tolerance and charge + highest[k + 1] >= -tolerance:
                    following.add(charge)
        if not following:
            return 0.0
        if len(following) > MAX_SUMS:
            return 0.5
        sums = following
    return 1.0 if any(abs(partial) <= tolerance for partial in sums) else 0.0
ORBITALS = [PROPERTIES.index(f"N{o}Valence") for o in "spdf"]
VALENCE = PROPERTIES.index("NValence")


def element_fractions(formula):
    amounts = Composition(formula).get_el_amt_dict()
    total = sum(amounts.values())
    fractions = np.zeros(len(INDEX))
    for symbol, amount in amounts.items():
        fractions[INDEX[symbol]] += amount / total
    return fractions


def featurise(formula):
    amounts = Composition(formula).get_el_amt_dict()
    symbols = list(amounts)
    fractions = np.array([amounts[s] for s in symbols], dtype=float)
    fractions /= fractions.sum()
    table = VALUES[[INDEX[s] for s in symbols]]
    mean = fractions @ table
    deviation = fractions @ np.abs(table - mean)
    low, high = table.min(axis=0), table.max(axis=0)
    top = fractions == fractions.max()
    mode = table[top].min(axis=0)
    stats = np.stack([mean, deviation, low, high, high - low, mode], axis=1).reshape(-1)
    norms = [len(symbols)] + [np.sum(fractions ** p) ** (1.0 / p) for p in (2, 3, 5, 7, 10)]
    valence = mean[VALENCE]
    orbital = [mean[c] / valence if valence else 0.0 for c in ORBITALS]
    element_fractions = np.zeros(len(INDEX))
    for symbol, fraction in zip(symbols, fractions):
        element_fractions[INDEX[symbol]] += fraction
    chi = table[:, ELECTRONEGATIVITY]
    character = 1 - np.exp(-0.25 * (chi[:, None] - chi[None, :]) ** 2)
    ionic = [charge_balance(amounts), character.max(), float(fractions @ character @ fractions)]
    return np.concatenate([stats, norms, orbital, element_fractions, ionic])


def main():
    warnings.simplefilter("ignore")
    options = [arg for arg in sys.argv[1:] if arg.startswith("--featuriser=")]
    argv = [sys.argv[0]] + [arg for arg in sys.argv[1:] if arg not in options]
    featuriser = {"magpie": featurise, "element_fraction": element_fractions}[
        options[-1].split("=", 1)[1] if options else "magpie"]
    task, trees, seed, threads = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
    lines = pathlib.Path(task).read_text().splitlines()[1:]
    formulas = [line.split(",")[1] for line in lines]
    targets = np.array([float(line.split(",")[2]) for line in lines])
    folds = np.array([int(line.split(",")[3]) for line in lines])
    start = time.perf_counter()
    features = np.array([featuriser(f) for f in formulas])
    featurise_seconds = time.perf_counter() - start
    for fold in range(5 if len(argv) <= 5 else 0):
        train, test = folds != fold, folds == fold
        model = RandomForestRegressor(n_estimators=trees, random_state=seed, n_jobs=threads)
        start = time.perf_counter()
        model.fit(features[train], targets[train])
        fit_seconds = time.perf_counter() - start
        per_tree = np.stack([tree.predict(features[test]) for tree in model.estimators_])
        mean, std = per_tree.mean(axis=0), per_tree.std(axis=0)
        error = np.abs(targets[test] - mean)
        print(json.dumps({"fold": fold, "mae": float(error.mean()), "cover68": float(np.mean(error <= std)),
                          "cover95": float(np.mean(error <= 1.96 * std)), "fit_seconds": fit_seconds,
                          "featurise_seconds": featurise_seconds}), flush=True)
    if len(argv) > 5:
        model = RandomForestRegressor(n_estimators=trees, random_state=seed, n_jobs=threads).fit(features, targets)
        queries = pathlib.Path(argv[5]).read_text().split()
        passes = []
        for _ in range(3):
            start = time.perf_counter()
            rows = np.array([featuriser(f) for f in queries])
            per_tree = np.stack([tree.predict(rows) for tree in model.estimators_])
            mean, std = per_tree.mean(axis=0), per_tree.std(axis=0)
            passes.append(time.perf_counter() - start)
        print(json.dumps({"throughput_rows": len(queries), "seconds": min(passes), "passes": passes,
                          "checksum": float(mean.sum() + std.sum())}), flush=True)


if __name__ == "__main__":
    main()
