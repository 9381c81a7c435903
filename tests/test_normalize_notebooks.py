"""scripts/normalize_notebooks.py: a re-run of an unchanged notebook leaves no diff."""
import json
import random
import sys
import uuid
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import normalize_notebooks as nn  # noqa: E402

WIDGET_NOTEBOOK = ROOT / "notebooks" / "02_convolution_arithmetic.ipynb"


def _as_if_run_again(notebook, seed):
    """The same notebook as a new run saves it: new random widget ids, state in another order,
    timing metadata, stdout flushed in other pieces."""
    rng = random.Random(seed)
    ids = list(nn._widget_state(notebook))
    text = json.dumps(notebook)
    for old in ids:
        text = text.replace(old, uuid.UUID(int=rng.getrandbits(128)).hex)
    again = json.loads(text)
    widgets = again["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]
    items = list(widgets["state"].items())
    rng.shuffle(items)
    widgets["state"] = dict(items)
    for cell in again["cells"]:
        if cell["cell_type"] == "code":
            cell["metadata"]["execution"] = {"iopub.status.busy": f"2026-01-0{seed}T00:00:00Z"}
            outputs = []
            for output in cell["outputs"]:
                text = "".join(output["text"]) if output["output_type"] == "stream" else ""
                if len(text) > 2:     # the kernel flushed this stream in two pieces
                    cut = rng.randrange(1, len(text))
                    outputs += [dict(output, text=[text[:cut]]), dict(output, text=[text[cut:]])]
                else:
                    outputs.append(output)
            cell["outputs"] = outputs
    again["metadata"]["language_info"]["version"] = f"3.1{seed}.0"
    return again


def _streams(cell):
    """All the text a code cell printed, however it was split into pieces."""
    return "".join("".join(o["text"]) for o in cell["outputs"] if o["output_type"] == "stream")


@pytest.fixture(scope="module")
def committed():
    notebook = json.loads(WIDGET_NOTEBOOK.read_text())
    assert nn._widget_state(notebook), "this test needs a notebook with saved widget state"
    return notebook


def test_two_runs_normalize_to_the_same_file(committed):
    first = nn.normalize(_as_if_run_again(committed, 1), "02")
    second = nn.normalize(_as_if_run_again(committed, 2), "02")
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_normalizing_keeps_every_output_and_a_valid_notebook(committed):
    clean = nn.normalize(_as_if_run_again(committed, 3), "02")
    nbformat.validate(nbformat.from_dict(clean))
    for before, after in zip(committed["cells"], clean["cells"]):
        assert before["source"] == after["source"]
        if before["cell_type"] == "code":
            assert "execution" not in after["metadata"]
            assert _streams(before) == _streams(after)
    state = nn._widget_state(clean)
    assert len(state) == len(nn._widget_state(committed))
    assert nn.normalize(json.loads(json.dumps(clean)), "02") == clean      # idempotent


def test_progress_bar_timings_are_dropped_and_the_rest_kept():
    value = ("\u200763/63\u2007[00:01&lt;00:00,\u200761.41it/s,\u2007loss=0.1487,"
             "\u2007val_acc=0.9670]")
    state = {"a": {"state": {"value": value}}, "b": {"state": {"value": "lr 0.5 [s]"}}}
    nn._drop_progress_timings(state)
    assert state["a"]["state"]["value"] == "\u200763/63\u2007[loss=0.1487,\u2007val_acc=0.9670]"
    assert state["b"]["state"]["value"] == "lr 0.5 [s]"
