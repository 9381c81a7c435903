"""Package data in cnn_core/assets/: verified reads and what the errors tell the user to do.

The installed-wheel case is tested for real in tests/packaging/test_wheel.py.
"""
import hashlib
import importlib.resources

import pytest

from cnn_core import bundled
from cnn_core.bundled import DataIntegrityError, assets_dir, read_verified, repair_hint
from cnn_core.data import IMAGES_FILE, SHA256


def test_assets_dir_is_inside_the_imported_package():
    assert assets_dir() == importlib.resources.files("cnn_core") / "assets"
    assert (assets_dir() / "README.md").is_file()


def test_read_verified_returns_the_bundled_bytes():
    raw = read_verified(IMAGES_FILE, SHA256[IMAGES_FILE])
    assert hashlib.sha256(raw).hexdigest() == SHA256[IMAGES_FILE]


def test_wrong_checksum_names_both_hashes_and_the_remedy(tmp_path):
    (tmp_path / "f.bin").write_bytes(b"abc")
    with pytest.raises(DataIntegrityError) as info:
        read_verified("f.bin", "0" * 64, data_dir=tmp_path)
    message = str(info.value)
    assert "0" * 64 in message and hashlib.sha256(b"abc").hexdigest() in message
    assert str(tmp_path / "f.bin") in message and "leave out data_dir" in message


def test_bundled_file_missing_in_a_clone_says_git_checkout():
    # This test runs in a git checkout: the hint for the bundled copy is `git checkout`.
    with pytest.raises(FileNotFoundError) as info:
        read_verified("no-such-file.gz", "0" * 64)
    assert "git checkout -- cnn_core/assets/" in str(info.value)


@pytest.mark.parametrize("git_dir", [True, False])
def test_repair_hint_for_each_kind_of_install(tmp_path, git_dir):
    package_dir = tmp_path / "cnn_core"
    package_dir.mkdir()
    if git_dir:
        (tmp_path / ".git").mkdir()
    wheel = "file:///tmp/dist/cnn_core-0.1.0-py3-none-any.whl"
    hint = repair_hint(package_dir, wheel)
    if git_dir:
        assert "git checkout -- cnn_core/assets/" in hint
    else:
        assert f'pip install --force-reinstall --no-deps "{wheel}"' in hint
        assert "<the wheel file or git+URL>" in repair_hint(package_dir, None)


def test_installed_from_is_none_for_this_source_checkout():
    # cnn_core runs here from the source tree (PYTHONPATH or an editable install).
    assert bundled._installed_from() is None
