"""Every exercise check answers a missing or malformed answer with "Not yet: ..." (an
AssertionError a student reads), never a TypeError from inside numpy, and never passes a value
that is only right after truncation.

Each check is called with the answer slot filled by what a student has before writing an
answer (None, ``...``, NotImplemented, a placeholder string), by a wrong type, and, for
functions, by stubs that raise NotImplementedError, return None or return garbage.
"""
import math

import numpy as np
import pytest

from cnn_core.course.exercises import ch00, ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09
from cnn_core.data import load_digits, make_shapes
from cnn_core.zoo import small_cnn

RNG = np.random.default_rng(0)
MODEL = small_cnn(filters=(2, 4), rng=np.random.default_rng(0))
X, Y = load_digits("test")
X, Y = X[:40], Y[:40]
SHAPES_X, SHAPES_Y, _ = make_shapes(4, rng=np.random.default_rng(0))
FIVE = small_cnn(num_classes=5, rng=np.random.default_rng(0))

# check name -> function(answer) calling the check with ``answer`` in the student's slot.
VALUE_CHECKS = {
    "ch00.parameter_count": lambda a: ch00.check_parameter_count(a, MODEL),
    "ch00.misclassified": lambda a: ch00.check_misclassified(a, MODEL, X, Y),
    "ch01.same_size_layer": lambda a: ch01.check_same_size_layer(a),
    "ch02.conv_matrix": lambda a: ch02.check_conv_matrix(a, np.ones((2, 2))),
    "ch03.volume_shape.shape": lambda a: ch03.check_volume_shape(a, 1480),
    "ch03.volume_shape.params": lambda a: ch03.check_volume_shape((1, 10, 58, 58), a),
    "ch03.line_filter": lambda a: ch03.check_line_filter(a),
    "ch04.composed_kernel": lambda a: ch04.check_composed_kernel(np.ones((3, 3)),
                                                                 np.ones((3, 3)), a),
    "ch04.flatten_size": lambda a: ch04.check_flatten_size(a, 7850),
    "ch04.relu_pool_order.max": lambda a: ch04.check_relu_pool_order(a, False, [[-3, 1]]),
    "ch04.relu_pool_order.window": lambda a: ch04.check_relu_pool_order(True, False, a),
    "ch05.dilations": lambda a: ch05.check_dilations(a),
    "ch05.inside_mask": lambda a: ch05.check_inside_mask(a),
    "ch06.fresh_loss.predicted": lambda a: ch06.check_fresh_loss(5, a, 1.6, FIVE, SHAPES_X,
                                                                 SHAPES_Y),
    "ch06.fresh_loss.measured": lambda a: ch06.check_fresh_loss(5, math.log(5), a, FIVE,
                                                                SHAPES_X, SHAPES_Y),
    "ch07.update_count": lambda a: ch07.check_update_count(a),
    "ch07.critical_learning_rate": lambda a: ch07.check_critical_learning_rate(a),
    "ch08.most_confident_mistake": lambda a: ch08.check_most_confident_mistake(a, MODEL, X, Y),
    "ch08.occlusion.drop": lambda a: ch08.check_occlusion_by_hand(a, MODEL, X[0], 3, (5, 5), 5,
                                                                  0.0),
    "ch08.occlusion.centre": lambda a: ch08.check_occlusion_by_hand(0.1, MODEL, X[0], 3, a, 5,
                                                                    0.0),
    "ch09.param_count": lambda a: ch09.check_param_count(a),
    "ch09.validation_split": lambda a: ch09.check_validation_split(a, np.arange(3), Y, 1),
}

FUNCTION_CHECKS = {
    "ch00.accuracy_function": ch00.check_accuracy_function,
    "ch01.conv_params": ch01.check_conv_params,
    "ch01.dense_params": ch01.check_dense_params,
    "ch02.output_size": ch02.check_output_size,
    "ch02.conv2d_loops": ch02.check_conv2d_loops,
    "ch02.output_padding": ch02.check_output_padding,
    "ch03.one_output": ch03.check_one_output,
    "ch05.receptive_field_function": ch05.check_receptive_field_function,
    "ch06.stable_softmax": ch06.check_stable_softmax,
    "ch06.flat_index": ch06.check_flat_index,
    "ch06.mse_gradient": ch06.check_mse_gradient,
    "ch07.maxpool_backward": ch07.check_maxpool_backward,
    "ch07.conv_input_gradient": ch07.check_conv_input_gradient,
    "ch08.confusion_matrix": ch08.check_confusion_matrix,
    "ch09.log_uniform": ch09.check_log_uniform,
}

MISSING = [None, ..., NotImplemented, "...", "", "TODO"]
MALFORMED = ["yes", [[1, 2], [3]], {"a": 1}, object()]


def _stub(*args):
    raise NotImplementedError


def _not_yet(check, answer):
    with pytest.raises(AssertionError, match=r"^Not yet: "):
        check(answer)


@pytest.mark.parametrize("answer", MISSING + MALFORMED, ids=repr)
@pytest.mark.parametrize("name", sorted(VALUE_CHECKS))
def test_value_checks_say_not_yet(name, answer):
    _not_yet(VALUE_CHECKS[name], answer)


@pytest.mark.parametrize("answer", MISSING + MALFORMED + [
    _stub, lambda *a: None, lambda *a: ..., lambda *a: "text", lambda *a: [[1, 2], [3]],
    lambda *a: {"a": 1}, lambda *a: 1 / 0], ids=repr)
@pytest.mark.parametrize("name", sorted(FUNCTION_CHECKS))
def test_function_checks_say_not_yet(name, answer):
    _not_yet(FUNCTION_CHECKS[name], answer)


def test_a_stub_gets_told_to_write_the_body():
    with pytest.raises(AssertionError, match="NotImplementedError"):
        ch06.check_stable_softmax(_stub)


def test_an_error_in_the_student_code_names_the_inputs_and_keeps_the_traceback():
    with pytest.raises(AssertionError, match=r"flat_index\(0, 0, 0, \(16, 7, 7\)\) raised "
                                             r"ZeroDivisionError") as info:
        ch06.check_flat_index(lambda c, r, q, shape: 1 // 0)
    assert isinstance(info.value.__cause__, ZeroDivisionError)


@pytest.mark.parametrize("check, truncated", [
    (lambda a: ch03.check_volume_shape((1, 10, a, 58), 1480), 58.5),
    (lambda a: ch03.check_volume_shape((1, 10, 58, 58), a), 1480.4),
    (lambda a: ch04.check_flatten_size(a, 7850), 784.9),
    (lambda a: ch07.check_update_count(a), 189.5),
    (lambda a: ch09.check_param_count(a), 28938.2),
    (lambda a: ch00.check_parameter_count(a, MODEL), MODEL.num_params() + 0.5),
    (lambda a: ch05.check_dilations((1, 3, a)), 9.5),
])
def test_no_pass_by_truncation(check, truncated):
    """58.5 used to become 58 and pass; now any fraction is refused with a hint."""
    with pytest.raises(AssertionError, match="Not yet: .*whole number"):
        check(truncated)


def test_functions_returning_fractions_do_not_pass_by_truncation():
    with pytest.raises(AssertionError, match="whole number"):
        ch02.check_output_size(lambda i, k, s, p, d: (i + 2 * p - k - (k - 1) * (d - 1)) / s + 1)
    with pytest.raises(AssertionError, match="whole number"):
        ch01.check_dense_params(lambda n_in, n_out: n_in * n_out + n_out + 0.25)
