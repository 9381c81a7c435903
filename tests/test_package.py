"""Tests for cnn_core/__init__.py: the engine names a notebook imports from the package itself."""
import ast
import inspect
from pathlib import Path

import pytest

import cnn_core

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
ENGINE_MODULES = ("arithmetic", "data", "functional", "gradcheck", "layers", "losses", "model",
                  "optim", "recipes", "train", "validation", "zoo")


@pytest.mark.parametrize("name", cnn_core.__all__)
def test_every_exported_name_is_the_engine_object_itself(name):
    obj = getattr(cnn_core, name)
    if inspect.ismodule(obj):
        assert obj.__name__ == f"cnn_core.{name}" and name in ENGINE_MODULES
    else:
        owners = [m for m in ENGINE_MODULES if getattr(getattr(cnn_core, m), name, None) is obj]
        assert owners, f"{name} is not defined in any engine module"


def test_the_package_exports_nothing_from_the_course():
    assert not any(getattr(getattr(cnn_core, n), "__module__", "").startswith("cnn_core.course")
                   for n in cnn_core.__all__)
    assert len(set(cnn_core.__all__)) == len(cnn_core.__all__)


def notebook_imports(path):
    """(module, name) for every ``from cnn_core... import name`` in the notebook's code cells."""
    import nbformat
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                         for line in cell.source.splitlines())
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cnn_core"):
                found += [(node.module, alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_imports_from_the_package_resolve(path):
    for module, name in notebook_imports(path):
        if module == "cnn_core":
            assert name in cnn_core.__all__, f"{path.name}: cnn_core does not export {name}"


def test_exports_cover_what_the_notebooks_import_from_engine_modules():
    """An engine name a notebook still imports from its module is in the package too, unless
    the name is ambiguous at the top level (``recipes.describe``) or a helper of one chapter."""
    allowed = {"describe", "lr_drop_epoch"}
    missing = {(m, n) for path in NOTEBOOKS for m, n in notebook_imports(path)
               if m.split(".")[1:2] and m.split(".")[1] in ENGINE_MODULES and m.count(".") == 1
               and n not in cnn_core.__all__ and n not in allowed}
    assert not missing, f"notebooks import engine names cnn_core does not export: {missing}"



def test_importing_cnn_core_loads_no_plotting():
    """The package import (all these names) stays numpy-only: checked in a fresh interpreter."""
    import subprocess
    import sys
    code = ("import sys; from cnn_core import *; "
            "print([m for m in ('matplotlib', 'ipywidgets') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
