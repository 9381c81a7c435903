"""Choose the default recipe on a validation split carved from the training digits.

Prints, for each candidate recipe and seed, the accuracy on 600 validation digits (60 per
class, taken out of the 4,000 training digits with ``data.stratified_split``) after training on
the other 3,400, and the wall time.  The 1,000 test digits are never loaded here.

    python benchmarks/recipe_search.py                 # every candidate, seeds 0-2
    python benchmarks/recipe_search.py 2 --seeds 0 1 2 3 4   # candidate 2 only, five seeds
"""
import argparse
import statistics
import time

import numpy as np

from cnn_core import data
from cnn_core.recipes import DEFAULT_RECIPE, build_model, train_recipe

VALIDATION_PER_CLASS = 60
SPLIT_SEED = 2024          # fixed, so every candidate sees the same split

CANDIDATES = [
    DEFAULT_RECIPE,
    DEFAULT_RECIPE.replace(filters=(16, 32)),
    DEFAULT_RECIPE.replace(filters=(16, 32), epochs=30),
    DEFAULT_RECIPE.replace(filters=(12, 24), epochs=30),
    DEFAULT_RECIPE.replace(filters=(16, 32), epochs=30, max_shift=3),
    DEFAULT_RECIPE.replace(filters=(16, 32), epochs=30, batch_size=32, lr=2e-3),
    DEFAULT_RECIPE.replace(filters=(24, 48), epochs=24),
    DEFAULT_RECIPE.replace(filters=(16, 32), epochs=30, lr_drop_at=0.6),
]


def split():
    x, y = data.load_digits("train")
    train_idx, val_idx = data.stratified_split(y, VALIDATION_PER_CLASS,
                                               np.random.default_rng(SPLIT_SEED))
    return x[train_idx], y[train_idx], x[val_idx], y[val_idx]


def run(recipe, seed, digits):
    x, y, x_val, y_val = digits
    recipe = recipe.replace(seed=seed)
    rng = np.random.default_rng(recipe.seed)
    start = time.perf_counter()
    model = build_model(recipe, rng)
    history = train_recipe(model, recipe, x, y, rng=rng, x_val=x_val, y_val=y_val)
    return history.val_acc[-1], time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("candidates", type=int, nargs="*")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    digits = split()
    for index in args.candidates or range(len(CANDIDATES)):
        recipe = CANDIDATES[index]
        results = [run(recipe, seed, digits) for seed in args.seeds]
        accs = [acc for acc, _ in results]
        print(f"{index}: {recipe}\n   val acc " + " ".join(f"{a:.4f}" for a in accs)
              + f"  median {statistics.median(accs):.4f}  min {min(accs):.4f}"
              + "  seconds " + " ".join(f"{s:.1f}" for _, s in results), flush=True)


if __name__ == "__main__":
    main()
