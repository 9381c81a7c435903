"""Train the bundled digit CNN and write cnn_core/assets/digits_cnn.npz and its SHA-256.

    python scripts/make_bundled_model.py            # seed 0, the default recipe, about 20 s

The network is the course's small CNN trained with ``DEFAULT_RECIPE`` (Adam, shifts of up to
2 pixels, learning rate divided by 10 after 60% of the epochs, label smoothing 0.1) on the
4,000 bundled training digits; the 1,000 held-out digits are scored once, after training.
The seed fixes the weights' initial values and the order of the minibatches; the resulting
numbers can still differ in the last bits from one CPU to another (floating-point sums), so
the checksum guards the shipped file, it is not a promise that every machine rebuilds the
same bytes.
"""
import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnn_core.course.draw.bundled_model import BUNDLED_MODEL, write_sha256  # noqa: E402
from cnn_core.data import load_digits  # noqa: E402
from cnn_core.losses import SoftmaxCrossEntropy  # noqa: E402
from cnn_core.recipes import DEFAULT_RECIPE, PrintEpochs, build_model, train_recipe  # noqa: E402
from cnn_core.train import evaluate  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_RECIPE.seed)
    parser.add_argument("--out", type=Path, default=BUNDLED_MODEL)
    args = parser.parse_args(argv)
    recipe = DEFAULT_RECIPE.replace(seed=args.seed)
    x_train, y_train = load_digits("train")
    x_test, y_test = load_digits("test")
    rng = np.random.default_rng(recipe.seed)
    model = build_model(recipe, rng)
    train_recipe(model, recipe, x_train, y_train, rng=rng, callbacks=[PrintEpochs()])
    accuracy = evaluate(model, SoftmaxCrossEntropy(), x_test, y_test)[1]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    digest = write_sha256(args.out)
    print(f"test accuracy on the 1,000 held-out digits: {accuracy:.4f}")
    print(f"wrote {args.out} (SHA-256 {digest}) and {args.out}.sha256")


if __name__ == "__main__":
    main()
