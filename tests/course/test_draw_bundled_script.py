"""scripts/make_bundled_model.py rebuilds the shipped network: same seed, same recipe, so the
same answers (compared by predictions, not bytes: floating-point sums may differ by CPU)."""
import importlib.util
from pathlib import Path

import numpy as np

from cnn_core.course.draw.bundled_model import file_sha256, load_bundled_model
from cnn_core.data import load_digits

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_bundled_model.py"


def test_script_reproduces_the_bundled_model(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("make_bundled_model", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "digits_cnn.npz"
    script.main(["--out", str(out)])
    assert "test accuracy on the 1,000 held-out digits" in capsys.readouterr().out
    assert (tmp_path / "digits_cnn.npz.sha256").read_text().split()[0] == file_sha256(out)
    rebuilt, shipped = load_bundled_model(out), load_bundled_model()
    x, _ = load_digits("test")
    agree = np.mean(rebuilt.predict(x) == shipped.predict(x))
    assert agree >= 0.99, f"the rebuilt network agrees with the shipped one on {agree:.1%}"
