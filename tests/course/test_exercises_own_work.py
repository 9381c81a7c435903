"""The hidden own-work check: an answer that calls the engine fails, the student's own passes."""
import functools

import numpy as np
import pytest

from cnn_core.course.exercises.own_work import check_own_work, referenced_names
from cnn_core.losses import softmax


def own_softmax(scores):
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def wrapped_softmax(scores):
    return softmax(scores)


def nested_softmax(scores):
    def inner(s):
        import cnn_core.losses as engine
        return engine.softmax(s)
    return inner(scores)


def test_the_students_own_function_passes(capsys):
    check_own_work(own_softmax, forbidden=("softmax",), engine=(softmax,))
    assert capsys.readouterr().out.startswith("PASS")


@pytest.mark.parametrize("answer", [softmax, wrapped_softmax, nested_softmax,
                                    lambda s: softmax(s)], ids=repr)
def test_calling_the_engine_fails(answer):
    with pytest.raises(AssertionError, match="Not yet: "):
        check_own_work(answer, forbidden=("softmax",), engine=(softmax,))


def test_a_wrapped_engine_function_is_refused():
    with pytest.raises(AssertionError, match="def"):
        check_own_work(functools.partial(softmax), forbidden=("softmax",))


def test_cell_source_is_read_for_names_and_attributes():
    source = "n_params = model.num_params()\nprint(n_params)"
    assert {"model", "num_params", "n_params", "print"} <= referenced_names(source)
    with pytest.raises(AssertionError, match="num_params"):
        check_own_work(source, forbidden=("num_params", "summary"))
    check_own_work("n_params = 8 * 9 + 8  # not model.num_params()", forbidden=("num_params",))


def test_comments_and_strings_do_not_count_and_broken_source_is_not_a_crash():
    assert "num_params" not in referenced_names("x = 1  # num_params\ny = 'num_params'")
    assert referenced_names("def broken(:") == set()


@pytest.mark.parametrize("missing", [None, ..., "", "..."])
def test_a_missing_answer_is_not_yet(missing):
    with pytest.raises(AssertionError, match="Not yet: .*no answer yet"):
        check_own_work(missing, forbidden=("softmax",))


def test_previous_cell_is_recorded_without_input_history():
    """nbval runs cells with store_history=False (In stays empty): the recorder still sees them."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    # what importing cnn_core.course.exercises does in a fresh kernel (here it is imported already)
    shell.run_cell("from cnn_core.course.exercises.own_work import install_cell_recorder\n"
                   "install_cell_recorder()", store_history=False)
    shell.run_cell("n_params = model.num_params()  # the shortcut", store_history=False)
    result = shell.run_cell(
        "from cnn_core.course.exercises.own_work import check_own_work, previous_cell_source\n"
        "check_own_work(previous_cell_source(), forbidden=('num_params',))", store_history=False)
    assert isinstance(result.error_in_exec, AssertionError)
    assert "num_params" in str(result.error_in_exec)
    shell.run_cell("n_params = 3 * 3 * 16 + 16", store_history=False)
    result = shell.run_cell(
        "check_own_work(previous_cell_source(), forbidden=('num_params',))", store_history=False)
    assert result.error_in_exec is None
    InteractiveShell.clear_instance()


def test_outside_a_kernel_the_previous_cell_is_unknown_and_not_passed():
    from cnn_core.course.exercises.own_work import previous_cell_source

    assert previous_cell_source() is None
    with pytest.raises(AssertionError, match="Not yet"):
        check_own_work(previous_cell_source(), forbidden=("num_params",))
