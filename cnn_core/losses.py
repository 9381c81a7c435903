"""Loss functions: a number that says how wrong the scores are, and its gradient.

Usage: ``loss = criterion.forward(scores, labels)`` then ``dscores = criterion.backward()``.
Both losses are averaged over the batch, so the gradient carries a 1/N.
"""
import numpy as np

from .validation import ArgumentTypeError, check_array, check_finite, check_int, check_real


def softmax(scores):
    """Turn scores (N, K) into probabilities (N, K) that are positive and sum to 1 per row.

    Subtracting each row's maximum first changes nothing mathematically but keeps ``exp`` from
    overflowing: scores of 1000 would otherwise give inf / inf = nan.
    scores must be a float array (N, K); no checks here (see SoftmaxCrossEntropy.forward).
    """
    shifted = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def log_softmax(scores):
    """log(softmax(scores)) computed without ever forming tiny probabilities: (N, K).
    No checks here (see SoftmaxCrossEntropy.forward).
    """
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def one_hot(labels, num_classes):
    """labels (N,) -> (N, num_classes) with a single 1 per row.

    Raises ValueError if ``num_classes`` is not an integer >= 1 or a label is out of range.
    """
    num_classes = check_int("num_classes", num_classes, 1)
    labels = check_labels(labels, len(np.asarray(labels)), num_classes)
    out = np.zeros((len(labels), num_classes))
    out[np.arange(len(labels)), labels] = 1.0
    return out


def check_labels(labels, n, num_classes, name="labels"):
    """Integer class labels (N,) in [0, num_classes); ``name`` is used in the error message.

    Lists are accepted (converted with ``np.asarray``).  Raises ValueError for a wrong shape,
    a non-integer dtype (e.g. 3.0) or a label outside [0, num_classes - 1].
    """
    try:
        labels = np.asarray(labels)
    except ValueError:
        raise ArgumentTypeError(f"{name} must be an integer array of shape ({n},), got a "
                                f"ragged {type(labels).__name__}") from None
    if labels.shape != (n,) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{name} must be an integer array of shape ({n},) matching the scores, "
                         f"got dtype {labels.dtype} shape {labels.shape}")
    if n and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"{name} must be in the range [0, {num_classes - 1}] for "
                         f"{num_classes} classes, got values from {labels.min()} to {labels.max()}")
    return labels


def _check_scores(scores):
    """scores (N, K) with N >= 1, K >= 1, finite; nan/inf there means the network diverged."""
    check_array(scores, "scores")
    if scores.ndim != 2 or scores.shape[0] == 0 or scores.shape[1] == 0:
        raise ValueError(f"scores must be an array of shape (N, K) with N >= 1 samples and "
                         f"K >= 1 classes, got shape {scores.shape}")
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores contain nan or inf: the network has diverged "
                         "(learning rate too high?)")


class _Loss:
    def __init__(self):
        self._cache = None

    def _saved(self):
        if self._cache is None:
            raise ValueError(f"{type(self).__name__}.backward() called before forward(): "
                             "compute the loss first")
        return self._cache

    def __call__(self, scores, targets):
        """Same as :meth:`forward`."""
        return self.forward(scores, targets)

    def __repr__(self):
        return f"{type(self).__name__}()"


class SoftmaxCrossEntropy(_Loss):
    """Mean over the batch of -log(probability given to the true class).

    forward(scores (N, K), labels (N,) int) -> float; backward() -> dscores (N, K), which is
    (softmax(scores) - one_hot(labels)) / N.  A network that guesses uniformly over K classes
    scores log(K) (2.3026 for 10 digits).

    ``label_smoothing`` = e in [0, 1) aims at a softened target instead of the one-hot row:
    1 - e + e/K for the true class and e/K for every other class, so the network is never pushed
    towards infinite confidence.  The loss becomes -sum_k target_k log p_k (its minimum is then
    above 0) and dscores = (softmax(scores) - target) / N.  0 (the default) is the plain loss.
    Raises ValueError if ``label_smoothing`` is not a number in [0, 1).
    """

    def __init__(self, label_smoothing=0.0):
        super().__init__()
        self.label_smoothing = check_real("label_smoothing", label_smoothing, 0.0, 1.0,
                                          high_open=True)

    def forward(self, scores, labels):
        """scores (N, K), labels (N,) ints in [0, K) -> mean loss (float).

        Raises ValueError for scores that are not (N, K) with N, K >= 1, scores holding
        nan/inf, or labels of the wrong shape, dtype or range.
        """
        _check_scores(scores)
        labels = check_labels(labels, scores.shape[0], scores.shape[1])
        logp = log_softmax(scores.astype(np.float64))
        n = scores.shape[0]
        self._cache = np.exp(logp), labels, scores.dtype
        loss = -logp[np.arange(n), labels].mean()
        if self.label_smoothing:
            e = self.label_smoothing
            loss = (1 - e) * loss - e * logp.mean(axis=1).mean()
        return float(loss)

    def backward(self):
        """-> dscores (N, K) = (softmax(scores) - target) / N, the target being one_hot(labels)
        (softened by ``label_smoothing``).  Raises ValueError when called before forward."""
        probs, labels, dtype = self._saved()
        n, k = probs.shape
        d = probs - self.label_smoothing / k if self.label_smoothing else probs.copy()
        d[np.arange(n), labels] -= 1.0 - self.label_smoothing
        return (d / n).astype(dtype)

    def __repr__(self):
        if self.label_smoothing:
            return f"SoftmaxCrossEntropy(label_smoothing={self.label_smoothing:g})"
        return "SoftmaxCrossEntropy()"


class MSE(_Loss):
    """Mean over the batch of 1/2 * sum_k (scores_k - targets_k)^2.

    ``targets`` has the shape of ``scores``, or is an integer label vector (N,), which is turned
    into one-hot rows.  backward() -> dscores = (scores - targets) / N.
    """

    def forward(self, scores, targets):
        """scores (N, K), targets (N, K) or integer labels (N,) -> mean loss (float).

        Raises ValueError for scores that are not (N, K), targets of another shape, or targets
        holding nan/inf.
        """
        _check_scores(scores)
        try:
            targets = check_array(np.asarray(targets), "targets")
        except ValueError:
            raise ArgumentTypeError(f"targets must be numbers of shape {scores.shape} or integer "
                                    f"labels ({scores.shape[0]},), got {type(targets).__name__}"
                                    ) from None
        check_finite(targets, "targets", what="target data")
        if targets.ndim == 1 and np.issubdtype(targets.dtype, np.integer):
            targets = one_hot(check_labels(targets, *scores.shape), scores.shape[1])
        if targets.shape != scores.shape:
            raise ValueError(f"targets must have the shape of scores {scores.shape} "
                             f"(or be integer labels ({scores.shape[0]},)), got {targets.shape}")
        diff = scores.astype(np.float64) - targets
        self._cache = diff, scores.dtype
        return float(0.5 * (diff ** 2).sum() / scores.shape[0])

    def backward(self):
        """-> dscores (N, K) = (scores - targets) / N.  Raises ValueError before forward."""
        diff, dtype = self._saved()
        return (diff / diff.shape[0]).astype(dtype)
