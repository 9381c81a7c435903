"""The two wings: the engine never imports the course; inside the course, imports run one way
(numbers -> plots -> widgets). Checked on the source (every import statement), and on a fresh
interpreter (importing the engine loads neither matplotlib nor ipywidgets)."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cnn_core"
COURSE = PACKAGE / "course"


def imported_modules(path):
    """Absolute names of every module imported by the file at ``path`` (relative ones resolved)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.append(".".join(base + ([node.module] if node.module else [])))
            else:
                names.append(node.module)
    return names


def layer_of(path):
    """'widget', 'plots' or 'numbers' from a course module's file name."""
    if path.stem.endswith("_widget"):
        return "widget"
    if path.stem == "plots" or path.stem.endswith("_plots"):
        return "plots"
    return "numbers"


ENGINE_FILES = sorted(p for p in PACKAGE.rglob("*.py") if COURSE not in p.parents)
COURSE_FILES = sorted(COURSE.rglob("*.py"))
# The engine may read an image file with matplotlib's decoder, imported inside the function that
# reads it (cnn_core.data.load_photo): file decoding, not drawing; importing the engine still
# loads no matplotlib (the last test checks that in a fresh interpreter).
IMAGE_DECODERS = ("matplotlib.image", "matplotlib.cbook")
FORBIDDEN = {"numbers": ("matplotlib", "ipywidgets", "ipycanvas", "IPython"),
             "plots": ("ipywidgets", "ipycanvas", "IPython")}


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_engine_imports_no_course_and_no_drawing(path):
    for name in imported_modules(path):
        assert not name.startswith("cnn_core.course"), f"{path.name} imports {name}"
        if name in IMAGE_DECODERS:
            continue
        assert name.split(".")[0] not in ("matplotlib", "ipywidgets", "ipycanvas", "IPython"), \
            f"engine module {path.name} imports {name}"


@pytest.mark.parametrize("path", COURSE_FILES, ids=lambda p: str(p.relative_to(COURSE)))
def test_course_imports_run_one_way(path):
    layer = layer_of(path)
    for name in imported_modules(path):
        top = name.split(".")[0]
        assert top not in FORBIDDEN.get(layer, ()), f"{layer} module {path.name} imports {name}"
        if name.startswith("cnn_core.course."):
            target = COURSE.joinpath(*name.split(".")[2:])
            target = target.with_suffix(".py") if target.with_suffix(".py").exists() else target
            if target.suffix == ".py":
                order = ["numbers", "plots", "widget"]
                assert order.index(layer_of(target)) <= order.index(layer), \
                    f"{layer} module {path.name} imports the {layer_of(target)} module {name}"


def test_importing_the_engine_loads_no_plotting_or_widgets():
    code = ("import sys, cnn_core, cnn_core.arithmetic, cnn_core.functional, cnn_core.layers, "
            "cnn_core.losses, cnn_core.model, cnn_core.optim, cnn_core.train, cnn_core.gradcheck, "
            "cnn_core.data, cnn_core.zoo, cnn_core.recipes, cnn_core.validation; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_every_course_module_is_reachable_from_the_readme():
    readme = (COURSE / "README.md").read_text()
    for path in COURSE_FILES:
        if path.name != "__init__.py" and not path.name.startswith("_"):
            rel = str(path.relative_to(COURSE))
            assert rel in readme, f"cnn_core/course/README.md does not list {rel}"
