"""The bundled model is verified before it is loaded; other model names resolve offline or fail clearly."""

import shutil

import pytest

from simulator.errors import ModelError, UsageError
from simulator.speech.bundle import BUNDLED_MODEL_SHA256, bundled_model_dir, resolve_ct2_model, verify_bundle


def test_bundle_is_verified():
    path, label = resolve_ct2_model(None)
    assert label == "tiny.en"
    assert (path / "model.bin").is_file()


@pytest.fixture
def bundle_copy(tmp_path):
    dest = tmp_path / "model"
    shutil.copytree(bundled_model_dir(), dest)
    return dest


def test_one_changed_byte_is_refused(bundle_copy):
    model_bin = bundle_copy / "model.bin"
    data = bytearray(model_bin.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model_bin.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="damaged or not the expected one"):
        verify_bundle(bundle_copy, BUNDLED_MODEL_SHA256)


def test_missing_file_is_refused(bundle_copy):
    (bundle_copy / "tokenizer.json").unlink()
    with pytest.raises(ModelError, match="tokenizer.json is missing"):
        verify_bundle(bundle_copy, BUNDLED_MODEL_SHA256)


def test_a_model_folder_resolves_to_itself(bundle_copy):
    assert resolve_ct2_model(str(bundle_copy)) == (bundle_copy, "model")


def test_a_folder_without_a_model(tmp_path):
    with pytest.raises(ModelError, match="not a CTranslate2 Whisper model folder"):
        resolve_ct2_model(str(tmp_path))


def test_unknown_name():
    with pytest.raises(UsageError, match="unknown model"):
        resolve_ct2_model("gigantic")
