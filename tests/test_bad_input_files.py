"""Bad input, theme "files": save and load agree on the suffix, refuse directories and missing
folders, and a failed load leaves the model bitwise unchanged (every check runs before the
first weight is assigned).  cnn_core never suggests allow_pickle."""
import json
import zipfile

import numpy as np
import pytest

from cnn_core.layers import BatchNorm2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from cnn_core.model import Sequential
from cnn_core.validation import MissingFileError


def net(seed=0, filters=4, p=0.5):
    rng = np.random.default_rng(seed)
    return Sequential([Conv2D(1, filters, 3, padding=1, rng=rng), BatchNorm2D(filters), ReLU(),
                       MaxPool2D(2), Flatten(), Dropout(p, rng=rng),
                       Dense(filters * 9, 3, rng=rng)])


def snapshot(model):
    return {name: array.copy() for name, array in model.arrays().items()}


def assert_unchanged(model, before):
    after = model.arrays()
    assert after.keys() == before.keys()
    for name, array in before.items():
        assert after[name].tobytes() == array.tobytes(), name       # bitwise
        assert after[name].dtype == array.dtype


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "good.npz"
    net(seed=1).save(path)
    return path


def rewrite(src, dst, change):
    """Copy the archive ``src`` to ``dst`` with ``change(dict of arrays)`` applied."""
    with np.load(src, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    change(arrays)
    np.savez(dst, **arrays)
    return dst


def drop(key):
    return lambda arrays: arrays.pop(key)


def put(key, value):
    return lambda arrays: arrays.__setitem__(key, value)


BROKEN = {
    "missing last array": (drop("6.b"), r"missing \['6.b'\]"),
    "extra array": (put("7.W", np.zeros(3, np.float32)), r"unexpected \['7.W'\]"),
    "wrong shape": (put("6.W", np.zeros((36, 4), np.float32)), r"6.W has shape \(36, 4\)"),
    "integer array": (put("6.b", np.zeros(3, np.int64)), r"6.b has dtype int64"),
    "string array": (put("0.b", np.array(["a", "b", "c", "d"])), r"0.b has dtype <U1"),
    "missing architecture": (drop("architecture"), r"different architecture:\n<missing>"),
    "other layer settings": (put("architecture", np.array(json.dumps(
        net(filters=4, p=0.2).layer_settings()))),
        r"(?s)different architecture:\n.*Dropout\(p=0.2\).*this model is:.*Dropout\(p=0.5\)"),
    "architecture not text": (put("architecture", np.zeros(3)), "<missing>"),
    "legacy text of another model": (put("architecture", np.array("Dense(2, 2)")),
                                      r"different architecture:\nDense\(2, 2\)"),
}


@pytest.mark.parametrize("change, pattern", BROKEN.values(), ids=BROKEN.keys())
def test_a_failed_load_leaves_the_model_bitwise_unchanged(saved, tmp_path, change, pattern):
    bad = rewrite(saved, tmp_path / "bad.npz", change)
    model = net(seed=0)
    before = snapshot(model)
    with pytest.raises(ValueError, match=pattern):
        model.load(bad)
    assert_unchanged(model, before)


def test_object_array_is_refused_without_suggesting_pickle(saved, tmp_path):
    with np.load(saved, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["6.b"] = np.array([{"evil": 1}, None, 3], dtype=object)
    bad = tmp_path / "objects.npz"
    np.savez(bad, **arrays)         # numpy pickles object arrays silently
    model = net()
    before = snapshot(model)
    with pytest.raises(ValueError, match=r"'6.b' holds Python objects") as info:
        model.load(bad)
    assert "allow_pickle" not in str(info.value)
    assert_unchanged(model, before)


@pytest.mark.parametrize("cut", [0.5, 0.95])
def test_truncated_file_is_refused(saved, tmp_path, cut):
    data = saved.read_bytes()
    bad = tmp_path / "truncated.npz"
    bad.write_bytes(data[:int(len(data) * cut)])
    model = net()
    before = snapshot(model)
    with pytest.raises(ValueError, match=r"truncated.npz.* not a model file|damaged"):
        model.load(bad)
    assert_unchanged(model, before)


def test_damaged_member_is_refused(saved, tmp_path):
    bad = tmp_path / "damaged.npz"
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            payload = src.read(item)
            if item.filename == "6.W.npy":
                payload = payload[:len(payload) // 2]
            dst.writestr(item, payload)
    model = net()
    before = snapshot(model)
    with pytest.raises(ValueError, match=r"'6.W' is damaged or truncated|6.W"):
        model.load(bad)
    assert_unchanged(model, before)


def test_plain_npy_file_is_refused(tmp_path):
    path = tmp_path / "weights.npy"
    np.save(path, np.zeros(3))
    with pytest.raises(ValueError, match=r"holds a single array \(.npy\)"):
        net().load(path)


def test_text_file_is_refused(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("not a zip")
    with pytest.raises(ValueError, match=r"path .*notes.npz.* is not a model file"):
        net().load(path)


def test_save_and_load_agree_on_the_suffix(tmp_path):
    written = net(seed=1).save(tmp_path / "digits_cnn")
    assert written == tmp_path / "digits_cnn.npz" and written.is_file()
    model = net(seed=0).load(tmp_path / "digits_cnn")
    np.testing.assert_array_equal(model.layers[0].params["W"], net(seed=1).layers[0].params["W"])
    model = net(seed=0).load(str(tmp_path / "digits_cnn.npz"))


def test_save_into_a_directory_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"path .* is a directory"):
        net().save(tmp_path)
    assert list(tmp_path.iterdir()) == []                 # nothing written beside it


def test_save_into_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"path .*folder .*nowhere.* does not exist"):
        net().save(tmp_path / "nowhere" / "m.npz")


def test_save_path_of_the_wrong_type(tmp_path):
    with pytest.raises(TypeError, match=r"path must be a file name"):
        net().save(3)


def test_load_from_a_directory_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"path .* is a directory"):
        net().load(tmp_path)


def test_load_of_a_missing_file_says_what_it_tried(tmp_path):
    with pytest.raises(MissingFileError, match=r"no saved model at .*model.npz") as info:
        net().load(tmp_path / "model")
    assert isinstance(info.value, FileNotFoundError) and isinstance(info.value, ValueError)


def test_a_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = net(seed=1).save(tmp_path / "m.npz")
    good = path.read_bytes()

    def explode(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(np, "savez", explode)
    with pytest.raises(OSError, match="disk full"):
        net(seed=2).save(path)
    assert path.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]      # no temporary left


def test_load_keys_on_settings_not_repr_text(tmp_path):
    path = net(seed=1).save(tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as data:
        layers = json.loads(str(data["architecture"]))
    assert layers[0] == {"layer": "Conv2D", "settings": {
        "in_channels": 1, "out_channels": 4, "kernel_size": 3, "stride": 1, "padding": 1,
        "dilation": 1}}
    assert layers[1]["settings"] == {"num_features": 4, "momentum": 0.1, "eps": 1e-5}


def test_file_of_the_older_repr_format_still_loads(tmp_path):
    model = net(seed=1)
    arrays = {"architecture": np.array(model.architecture()), **model.arrays()}
    np.savez(tmp_path / "old.npz", **arrays)
    loaded = net(seed=0).load(tmp_path / "old.npz")
    np.testing.assert_array_equal(loaded.layers[6].params["W"], model.layers[6].params["W"])


def test_float64_file_loads_into_a_float32_model(tmp_path):
    model = net(seed=1)
    arrays = {k: v.astype(np.float64) for k, v in model.arrays().items()}
    np.savez(tmp_path / "f64.npz", architecture=np.array(json.dumps(model.layer_settings())),
             **arrays)
    loaded = net(seed=0).load(tmp_path / "f64.npz")
    assert loaded.layers[0].params["W"].dtype == np.float32


def test_repr_is_built_from_settings():
    assert repr(Conv2D(1, 8, 3, padding=1)) == "Conv2D(1, 8, kernel_size=3, padding=1)"
    assert repr(MaxPool2D(2)) == "MaxPool2D(kernel_size=2)"
    assert repr(MaxPool2D(3, stride=2)) == "MaxPool2D(kernel_size=3, stride=2)"
    assert repr(BatchNorm2D(4, eps=1e-3)) == "BatchNorm2D(4, eps=0.001)"
    assert repr(Dropout(0.25)) == "Dropout(p=0.25)"
    assert repr(Dense(10, 2)) == "Dense(10, 2)"
