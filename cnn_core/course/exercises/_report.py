"""How every exercise check reports: one line for a pass, a hint for a failure."""


def passed(message):
    """Print the pass line every check ends with."""
    print(f"PASS: {message}")


def expect(condition, hint):
    """Raise AssertionError with ``hint`` unless ``condition`` holds."""
    if not condition:
        raise AssertionError(f"Not yet: {hint}")
