"""Words for the convolution diagrams: the sums, sizes and skipped pixels of a frame, as text.

Every function takes a frame from :mod:`cnn_core.course.convolution.frames` and returns plain-text
lines, so the same sentences appear in the figures, in the widgets and in tests.
"""
import numpy as np


def format_number(value):
    """A value as short text: integers without decimals, others with two; minus sign as '−'."""
    value = round(float(value), 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{value:.0f}" if value.is_integer() else f"{value:.2f}"
    return text.replace("-", "\u2212")


def _product(value, weight):
    w = format_number(weight)
    return f"{format_number(value)}\u00b7{'(' + w + ')' if weight < 0 else w}"


def sum_lines(frame):
    """The current output cell's sum written out, one line per kernel row, then ``= value``."""
    if frame.output is None:
        return []
    head = f"y[{frame.row}, {frame.col}] = "
    rows = [" + ".join(_product(v, w) for v, w in row) for row in frame.terms()]
    lines = [head + rows[0]] + [" " * (len(head) - 2) + "+ " + row for row in rows[1:]]
    value = frame.output[frame.row, frame.col]
    return lines + [" " * (len(head) - 2) + "= " + format_number(value)]


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _never_read_lines(frame):
    far, inside = frame.far_edge, []
    if frame.output is not None:
        last = int(np.flatnonzero(frame.read).max())
        inside = [int(r) for r in np.flatnonzero(~frame.read) if r < last]
    i, k_eff, s, p = frame.input_size, frame.effective_kernel, frame.stride, frame.padding
    lines = []
    if far:
        lines.append(
            f"Never reached: the last {_plural(far, 'row')} and {_plural(far, 'column')} of the "
            f"padded input (hatched), because (i + 2p \u2212 k_eff) mod s = "
            f"{i + 2 * p - k_eff} mod {s} = {far}. The floor in the formula drops them: "
            f"allowed, but those pixels never influence the output.")
    if inside:
        lines.append(
            f"Skipped inside: padded rows and columns {', '.join(map(str, inside))} (hatched) "
            f"fall between the taps of every window: the dilation d = {frame.dilation} "
            f"and the stride s = {s} step over them.")
    if not lines:
        lines.append("Every row and column of the padded input is read at least once.")
    return lines


def describe_conv(frame):
    """Plain-text lines for a ConvFrame: output size, the formula with numbers, what is skipped."""
    i, k, s, p, d = (frame.input_size, frame.kernel_size, frame.stride, frame.padding,
                     frame.dilation)
    k_eff, top = frame.effective_kernel, i + 2 * p - frame.effective_kernel
    o_text = "none" if frame.output is None else f"{frame.output_size} \u00d7 {frame.output_size}"
    lines = [f"output size: {o_text}"]
    if d > 1:
        lines.append(f"k_eff = k + (k \u2212 1)(d \u2212 1) = {k} + {k - 1}\u00b7{d - 1} = {k_eff}")
    formula = (f"o = \u230a(i + 2p \u2212 k_eff) / s\u230b + 1 = "
               f"\u230a({i} + 2\u00b7{p} \u2212 {k_eff}) / {s}\u230b + 1")
    if frame.output is None:
        return lines + [f"{formula}: {format_number(top)} < 0, no window fits.", frame.problem]
    lines.append(f"{formula} = \u230a{top}/{s}\u230b + 1 = {frame.output_size}")
    value = format_number(frame.output[frame.row, frame.col])
    lines.append(f"step {frame.step + 1} of {frame.n_steps}: output cell "
                 f"({frame.row}, {frame.col}) = {value}")
    return lines + _never_read_lines(frame)


def _output_padding_lines(i, k, s, p, a):
    """Why a exists: the convolution (k, s, p) sends s input sizes to the same size i'."""
    if s == 1:
        return []
    smallest = s * (i - 1) + k - 2 * p
    line = (f"Why output padding: a convolution with k = {k}, s = {s}, p = {p} turns every input "
            f"size from {smallest} to {smallest + s - 1} into {i} \u00d7 {i} (the floor drops the "
            f"remainder), so going back is ambiguous; a = {a} picks {smallest + a}.")
    return [line]


def describe_transposed(frame):
    """Plain-text lines for a TransposedFrame: output size, the relation with numbers, the view."""
    i, k, s, p, a = (frame.input_size, frame.kernel_size, frame.stride, frame.padding,
                     frame.output_padding)
    o_text = "none" if frame.output is None else f"{frame.output_size} \u00d7 {frame.output_size}"
    value = s * (i - 1) + a + k - 2 * p
    lines = [f"output size: {o_text}",
             f"o' = s(i' \u2212 1) + a + k \u2212 2p = {s}\u00b7({i} \u2212 1) + {a} + {k} "
             f"\u2212 2\u00b7{p} = {value}"]
    if frame.output is None:
        return lines + [frame.problem]
    border = frame.border
    edge = (f"zero border k \u2212 p \u2212 1 = {border} on each side" if border >= 0 else
            f"k \u2212 p \u2212 1 = {border} < 0, so {_plural(-border, 'row')} and "
            f"{_plural(-border, 'column')} are cropped from each side (hatched)")
    lines.append(f"s \u2212 1 = {_plural(s - 1, 'zero')} inserted between neighbouring input "
                 f"values, a = {a} extra at the far edge (output padding), {edge}; then the "
                 f"kernel slides with stride 1.")
    lines.append(f"step {frame.step + 1} of {frame.n_steps}: output cell ({frame.row}, "
                 f"{frame.col}) = {format_number(frame.output[frame.row, frame.col])}")
    lines += _output_padding_lines(i, k, s, p, a)
    lines.append("In this view the kernel is rotated by 180\u00b0; the engine instead stamps "
                 "each input value times the kernel onto the output. Same numbers.")
    return lines
