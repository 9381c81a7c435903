"""Make re-executed notebooks reviewable: remove what changes on every run but is not output.

``make notebooks`` runs this after executing each notebook, so re-running an unchanged
notebook leaves ``git diff notebooks/`` empty except for outputs that really changed:

- execution timing (the ``execution`` metadata nbclient adds to every code cell) is dropped;
- the kernelspec is the one every machine has (``python3``), and ``language_info`` keeps no
  Python patch version;
- widget model ids (random uuids, new on every run) are renumbered in an order that does not
  depend on them: ``md5("<notebook name>:<n>")``, the same on every run. The saved widget
  state, the static picture a reader sees without a kernel, is kept, except the elapsed time
  and speed of finished progress bars (``[00:01<00:00, 62.01it/s, ``), which measure the
  machine that ran the notebook, not the course;
- consecutive pieces of one output stream (stdout or stderr) are joined: where the kernel
  happened to flush its output does not matter.

Usage: python scripts/normalize_notebooks.py notebooks/*.ipynb
"""
import hashlib
import json
import re
import sys
from pathlib import Path

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")
# tqdm's "[elapsed<remaining, rate" part, e.g. "[00:01<00:00, 62.01it/s, " (its spaces may be
# U+2007 figure spaces, and "<" may be saved as "&lt;")
TQDM_TIMING = re.compile(r"\[\d+:\d\d(?::\d\d)?(?:<|&lt;)(?:\d+:\d\d(?::\d\d)?|\?),\s*"
                         r"(?:[\d.]+|\?)\s?(?:it/s|s/it)(?:,\s*)?")


def _join_streams(outputs):
    """Join consecutive stream outputs of the same name (stdout, stderr) into one."""
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")):
            text = "".join(previous["text"]) + "".join(output["text"])
            previous["text"] = text.splitlines(keepends=True)
        else:
            joined.append(output)
    return joined


def _drop_progress_timings(state):
    """Remove elapsed time and speed from the saved text of progress bars (tqdm)."""
    for model in state.values():
        value = model.get("state", {}).get("value")
        if isinstance(value, str) and TQDM_TIMING.search(value):
            model["state"]["value"] = TQDM_TIMING.sub("[", value).replace("[]", "")


def _widget_state(notebook):
    return notebook["metadata"].get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})


def _widget_ids_in_order(notebook):
    """Widget model ids in an order that does not depend on the ids themselves.

    First the widgets the outputs show, in cell order, each followed depth-first by the
    models it refers to (``IPY_MODEL_<id>`` in its state, attributes in sorted order); then
    any model nothing shows, ordered by its state with the ids blanked out.
    """
    state, order = _widget_state(notebook), []

    def visit(model_id):
        if model_id in order or model_id not in state:
            return
        order.append(model_id)
        attributes = state[model_id].get("state", {})
        for name in sorted(attributes):
            for ref in REFERENCE.findall(json.dumps(attributes[name])):
                visit(ref)

    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view:
                visit(view["model_id"])
    rest = [i for i in state if i not in order]
    rest.sort(key=lambda i: MODEL_ID.sub("", json.dumps(state[i], sort_keys=True)))
    return order + rest


def normalize(notebook, name):
    """Return the notebook (a dict as in the .ipynb JSON) without per-run noise."""
    for cell in notebook["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        if "outputs" in cell:
            cell["outputs"] = _join_streams(cell["outputs"])
    _drop_progress_timings(_widget_state(notebook))
    notebook["metadata"]["kernelspec"] = dict(KERNELSPEC)
    notebook["metadata"].get("language_info", {}).pop("version", None)
    ids = _widget_ids_in_order(notebook)
    if not ids:
        return notebook
    mapping = {old: hashlib.md5(f"{name}:{n}".encode()).hexdigest() for n, old in enumerate(ids)}
    text = json.dumps(notebook, ensure_ascii=False)
    return json.loads(MODEL_ID.sub(lambda m: mapping.get(m.group(), m.group()), text))


def main(paths):
    for path in map(Path, paths):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        clean = normalize(notebook, path.stem)
        # the layout nbformat writes: indent 1, sorted keys, a final newline
        path.write_text(json.dumps(clean, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                        encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
