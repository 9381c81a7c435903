"""Frames of a kernel sliding over an input: the numbers behind the convolution diagrams.

A *frame* is one moment of the animation: the kernel sits over one window of the (padded)
input and produces one output cell.  :func:`conv_frame` describes a direct convolution,
:func:`transposed_conv_frame` a transposed one, seen as a stride-1 convolution over the input
with ``s - 1`` zeros inserted between its values.  Both compute every output value with the
engine (:mod:`cnn_core.functional`) and every size with :mod:`cnn_core.arithmetic`, so the
pictures drawn from a frame show the engine's own numbers.

A square input (H = W = ``input_size``) and a square kernel (KH = KW = ``kernel_size``) are
used throughout; the two spatial axes follow the same rule, so one axis explains both.
A combination for which no output exists (the kernel does not fit) is not an error: the frame
carries a ``problem`` sentence explaining why, and no output.
"""
from dataclasses import dataclass

import numpy as np

from cnn_core.arithmetic import effective_kernel_size, unreached_pixels
from cnn_core.functional import conv2d_forward, conv_transpose2d
from cnn_core.validation import check_int

# Small integers make every product easy to check by hand.  The example values are the
# top-left corner of fixed arrays, so moving a slider keeps the numbers that stay visible.
_EXAMPLE_INPUT = np.random.default_rng(7).integers(0, 4, size=(16, 16)).astype(np.float64)
_EXAMPLE_KERNEL = np.random.default_rng(3).integers(-1, 3, size=(7, 7)).astype(np.float64)


def example_values(input_size, kernel_size):
    """Fixed small-integer example values: input (H, W) in 0..3 and kernel (KH, KW) in -1..2.

    Sizes up to 16 (input) and 7 (kernel) are available.
    """
    input_size = check_int("input_size", input_size, 1)
    kernel_size = check_int("kernel_size", kernel_size, 1)
    if input_size > len(_EXAMPLE_INPUT):
        raise ValueError(f"input_size must be in [1, {len(_EXAMPLE_INPUT)}], got {input_size}")
    if kernel_size > len(_EXAMPLE_KERNEL):
        raise ValueError(f"kernel_size must be in [1, {len(_EXAMPLE_KERNEL)}], got {kernel_size}")
    return (_EXAMPLE_INPUT[:input_size, :input_size].copy(),
            _EXAMPLE_KERNEL[:kernel_size, :kernel_size].copy())


def _values(x, kernel, input_size, kernel_size):
    """The given arrays (checked against the sizes) or the example values."""
    example_x, example_k = example_values(input_size, kernel_size)
    x = example_x if x is None else np.asarray(x, dtype=np.float64)
    kernel = example_k if kernel is None else np.asarray(kernel, dtype=np.float64)
    if x.shape != (input_size, input_size):
        raise ValueError(f"x must have shape (H, W) = ({input_size}, {input_size}), got {x.shape}")
    if kernel.shape != (kernel_size, kernel_size):
        raise ValueError(f"kernel must have shape (KH, KW) = ({kernel_size}, {kernel_size}), "
                         f"got {kernel.shape}")
    return x, kernel


def _clamp_step(step, n_steps):
    step = check_int("step", step, 0)
    return min(step, max(n_steps - 1, 0))


class _Steps:
    """Output bookkeeping shared by both frame kinds (needs ``output`` and ``step``)."""

    @property
    def output_size(self):
        """Side of the output, or None when there is no output."""
        return None if self.output is None else len(self.output)

    @property
    def n_steps(self):
        """Number of output cells, i.e. frames of the animation (0 without output)."""
        return 0 if self.output is None else self.output.size

    @property
    def row(self):
        """Row of the current output cell."""
        return self.step // self.output_size if self.output is not None else 0

    @property
    def col(self):
        """Column of the current output cell."""
        return self.step % self.output_size if self.output is not None else 0


@dataclass(frozen=True)
class ConvFrame(_Steps):
    """One step of a (dilated) convolution of ``x`` (H, W) with ``kernel`` (KH, KW).

    ``output`` (H_out, W_out) holds the engine's result, or None when ``problem`` explains why
    no window fits.  ``step`` counts output cells in reading order; (``row``, ``col``) is the
    current one.  ``read`` (H + 2p,) is True for padded rows (and, by symmetry, columns) that
    at least one kernel tap reads.
    """

    input_size: int
    kernel_size: int
    stride: int
    padding: int
    dilation: int
    x: np.ndarray
    kernel: np.ndarray
    output: np.ndarray | None
    step: int
    problem: str | None
    read: np.ndarray

    @property
    def padded_size(self):
        """Side of the zero-padded input, i + 2p."""
        return self.input_size + 2 * self.padding

    @property
    def effective_kernel(self):
        """Span of the dilated kernel, k + (k - 1)(d - 1)."""
        return effective_kernel_size(self.kernel_size, self.dilation)

    @property
    def padded(self):
        """The zero-padded input (H + 2p, W + 2p)."""
        return np.pad(self.x, self.padding)

    @property
    def taps(self):
        """Padded row and column indices (KH,), (KW,) read by the kernel at this step."""
        offsets = np.arange(self.kernel_size) * self.dilation
        return self.row * self.stride + offsets, self.col * self.stride + offsets

    @property
    def far_edge(self):
        """Rows (and columns) at the far edge that no window reaches (0 if none or no fit)."""
        if self.problem is not None:
            return 0
        return unreached_pixels(self.input_size, self.kernel_size, self.stride, self.padding,
                                self.dilation)

    def terms(self):
        """The products summed at this step: KH rows of (input value, weight) pairs."""
        rows, cols = self.taps
        patch = self.padded[np.ix_(rows, cols)]
        return [list(zip(patch[a], self.kernel[a])) for a in range(self.kernel_size)]


def conv_frame(input_size, kernel_size, stride=1, padding=0, dilation=1, step=0,
               x=None, kernel=None):
    """Describe step ``step`` of convolving an input with a kernel.

    Parameters
    ----------
    input_size, kernel_size : int >= 1
        H = W and KH = KW.
    stride, dilation : int >= 1
    padding : int >= 0
    step : int >= 0
        Output cell in reading order; values past the last cell show the last cell.
    x : array (H, W), optional
        Input values; default :func:`example_values`.
    kernel : array (KH, KW), optional
        Kernel values; default :func:`example_values`.

    Returns
    -------
    ConvFrame
    """
    input_size = check_int("input_size", input_size, 1)
    kernel_size = check_int("kernel_size", kernel_size, 1)
    stride = check_int("stride", stride, 1)
    padding = check_int("padding", padding, 0)
    dilation = check_int("dilation", dilation, 1)
    x, kernel = _values(x, kernel, input_size, kernel_size)
    k_eff = effective_kernel_size(kernel_size, dilation)
    problem, output = None, None
    read = np.zeros(input_size + 2 * padding, dtype=bool)
    if k_eff > input_size + 2 * padding:
        problem = (f"The kernel spans k + (k \u2212 1)(d \u2212 1) = {k_eff} pixels but the "
                   f"padded input has only i + 2p = {input_size + 2 * padding}: no window fits, "
                   f"so there is no output. Use a smaller kernel size or dilation, or more "
                   f"padding.")
    else:
        out, _ = conv2d_forward(x[None, None], kernel[None, None], None, stride, padding, dilation)
        output = out[0, 0]
        starts = np.arange(len(output)) * stride
        read[(starts[:, None] + np.arange(kernel_size) * dilation).ravel()] = True
    return ConvFrame(input_size, kernel_size, stride, padding, dilation, x, kernel, output,
                     _clamp_step(step, 0 if output is None else output.size), problem, read)


@dataclass(frozen=True)
class TransposedFrame(_Steps):
    """One step of a transposed convolution, drawn as a stride-1 convolution.

    The input ``x`` (H', W') is spread out with ``s - 1`` zeros between neighbouring values,
    ``a`` (output padding) zeros are added at the far edge, and ``k - p - 1`` zeros pad every
    side; when that number is negative, as many rows are cropped instead.  The kernel, rotated
    by 180 degrees, then slides with stride 1.  ``kernel`` is the direct convolution's kernel.
    """

    input_size: int
    kernel_size: int
    stride: int
    padding: int
    output_padding: int
    x: np.ndarray
    kernel: np.ndarray
    output: np.ndarray | None
    step: int
    problem: str | None

    @property
    def border(self):
        """Zeros added on each side, k - p - 1 (negative: rows cropped from each side)."""
        return self.kernel_size - self.padding - 1

    @property
    def spread_size(self):
        """Input with zeros inserted, plus the output padding: s(i' - 1) + 1 + a."""
        return self.stride * (self.input_size - 1) + 1 + self.output_padding

    @property
    def grid_size(self):
        """Side of the drawn grid: the spread input plus any added zero border."""
        return self.spread_size + 2 * max(self.border, 0)

    @property
    def offset(self):
        """Index in the grid where the part the kernel slides over begins (cropped rows skipped)."""
        return max(-self.border, 0)

    @property
    def input_positions(self):
        """Grid indices (H',) of the rows (and columns) that hold input values."""
        return max(self.border, 0) + self.stride * np.arange(self.input_size)

    @property
    def grid(self):
        """The drawn grid (G, G): input values, inserted zeros, padding zeros."""
        grid = np.zeros((self.grid_size, self.grid_size))
        pos = self.input_positions
        grid[np.ix_(pos, pos)] = self.x
        return grid

    @property
    def flipped_kernel(self):
        """The kernel rotated by 180 degrees, as it slides in this view."""
        return self.kernel[::-1, ::-1]

    def terms(self):
        """The products summed at this step: KH rows of (grid value, flipped weight) pairs."""
        top, left = self.offset + self.row, self.offset + self.col
        patch = self.grid[top:top + self.kernel_size, left:left + self.kernel_size]
        return [list(zip(patch[a], self.flipped_kernel[a])) for a in range(self.kernel_size)]


def transposed_conv_frame(input_size, kernel_size, stride=1, padding=0, output_padding=0, step=0,
                          x=None, kernel=None):
    """Describe step ``step`` of a transposed convolution (undilated).

    ``kernel_size``, ``stride`` and ``padding`` are those of the direct convolution being
    transposed, as in PyTorch's ``ConvTranspose2d``; ``input_size`` is i', the side of the
    transposed convolution's input x (H', W').  Returns a :class:`TransposedFrame` whose
    ``problem`` explains a combination without output (``output_padding >= stride``, or padding
    that crops everything).
    """
    input_size = check_int("input_size", input_size, 1)
    kernel_size = check_int("kernel_size", kernel_size, 1)
    stride = check_int("stride", stride, 1)
    padding = check_int("padding", padding, 0)
    output_padding = check_int("output_padding", output_padding, 0)
    x, kernel = _values(x, kernel, input_size, kernel_size)
    problem, output = None, None
    size = stride * (input_size - 1) + output_padding + kernel_size - 2 * padding
    if output_padding >= stride:
        problem = (f"Output padding a = {output_padding} must be smaller than the stride "
                   f"s = {stride}: it picks one of the s input sizes that a stride-{stride} "
                   f"convolution maps to the same output, so only 0 .. {stride - 1} make sense.")
    elif size < 1:
        problem = (f"o' = s(i' - 1) + a + k - 2p = {size} < 1: the padding p = {padding} crops "
                   f"away the whole output. Use less padding, a larger kernel or a larger input.")
    else:
        output = conv_transpose2d(x[None, None], kernel[None, None], None, stride, padding,
                                  output_padding)[0, 0]
    return TransposedFrame(input_size, kernel_size, stride, padding, output_padding, x, kernel,
                           output, _clamp_step(step, 0 if output is None else output.size),
                           problem)


