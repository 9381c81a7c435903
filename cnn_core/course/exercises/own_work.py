"""Hidden checks that an answer is the student's own work, not a call to the engine.

A visible check compares an answer with the engine, so handing it the engine's own function
(``check_stable_softmax(cnn_core.losses.softmax)``) or asking the model for a number the task
says to count by hand would pass it.  These checks look at *how* the answer was made: the names
a function refers to, or the source of the cell that computed a value.  The graded notebooks run
them in their test cells (between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``).
"""
import ast
import types

from cnn_core.course.exercises._answers import require
from cnn_core.course.exercises._report import expect, passed


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
    uses any name in ``forbidden``, or if it *is* one of the ``engine`` objects."""
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
