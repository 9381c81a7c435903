"""Hidden checks that an answer is the student's own work, not a call to the engine.

A visible check compares an answer with the engine, so handing it the engine's own function
(``check_stable_softmax(cnn_core.losses.softmax)``) or asking the model for a number the task
says to count by hand would pass it.  These checks look at *how* the answer was made: the names
a function refers to, or the source of the cell that computed a value.  The graded notebooks run
them in their test cells (between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``).
"""
import ast
import sys
import types
from collections import deque

from cnn_core.course.exercises._answers import require
from cnn_core.course.exercises._report import expect, passed


class CellRecorder:
    """Remembers the source of the last few cells a kernel ran.

    Registered on IPython's ``pre_run_cell`` event, it sees every cell, also in runs that keep
    no input history (nbval executes with ``store_history=False``, so ``In`` stays empty there).
    """

    def __init__(self, size=3):
        self.sources = deque(maxlen=size)

    def __call__(self, info):
        self.sources.append(info.raw_cell)


def install_cell_recorder():
    """Start recording cells in the running IPython kernel (once); None outside IPython.

    Called when ``cnn_core.course.exercises`` is imported. The course imports no IPython: a
    kernel that runs a notebook has loaded it already.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return None
    for callback in shell.events.callbacks["pre_run_cell"]:
        if isinstance(callback, CellRecorder):
            return callback
    recorder = CellRecorder()
    shell.events.register("pre_run_cell", recorder)
    return recorder


def previous_cell_source():
    """The source of the cell run just before the current one, or None if unknown.

    The current cell is the check cell itself; the one before it computed the answer.
    """
    recorder = install_cell_recorder()
    if recorder is None or len(recorder.sources) < 2:
        return None
    return recorder.sources[-2]


def referenced_names(answer):
    """Names a function's code (and the functions nested in it) looks up, or the names and
    attributes used in a piece of source text."""
    if isinstance(answer, str):
        try:
            tree = ast.parse(answer)
        except SyntaxError:
            return set()
        return ({node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
                | {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)})
    code = getattr(answer, "__code__", None)
    names, todo = set(), [code] if code is not None else []
    while todo:
        code = todo.pop()
        names.update(code.co_names)
        todo.extend(const for const in code.co_consts if isinstance(const, types.CodeType))
    return names


def check_own_work(answer, forbidden, engine=()):
    """Fail if ``answer`` (a function, or the source text of the cell that computed a value)
    uses any name in ``forbidden``, or if it *is* one of the ``engine`` objects.

    ``answer=None`` means the source of the previous cell is unknown (run the answer cell, then
    this check): that answer is "not yet" checked, never passed."""
    require(answer, "answer")
    expect(isinstance(answer, (str, types.FunctionType)),
           f"write your answer as a function with def, got {type(answer).__name__}")
    for obj in engine:
        expect(answer is not obj, f"this is the engine's own {getattr(obj, '__name__', obj)}: "
               "the exercise asks you to write it yourself")
    used = sorted(referenced_names(answer) & set(forbidden))
    expect(not used, f"your answer uses {', '.join(used)}, which the exercise asks you to do "
           "without: work it out with plain numpy and the formulas of the chapter")
    passed("your own work: none of " + ", ".join(sorted(forbidden)) + " is used")
