"""Read a CTranslate2 ``model.bin`` into numpy arrays, without CTranslate2.

The bundled Whisper tiny.en ships only in CTranslate2 format. To run the reference openai-whisper
implementation on exactly the same weights we convert it ourselves, and that starts here: this module
parses the binary layout written by ``ctranslate2/specs/model_spec.py`` (``_serialize``, binary
version 6) and returns every variable as a numpy array, plus the alias table. It is pure numpy so the
converter does not depend on CTranslate2's internals or version.

Layout (little-endian): u32 version; string spec name; u32 revision; u32 variable count; per variable:
string name, u8 rank, rank x u32 dims, u8 dtype id, u32 byte count, raw bytes; then u32 alias count and
(alias, target) string pairs. A string is a u16 length that counts a trailing NUL, the UTF-8 bytes and
the NUL.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulator.errors import ModelError

SUPPORTED_VERSIONS = frozenset({6})

# Order of CTranslate2's DataType enum (include/ctranslate2/types.h). numpy has no bfloat16, so those
# arrays are widened to float32 on read (bf16 is the top half of an f32, so this is exact).
DTYPES: tuple[str, ...] = ("float32", "int8", "int16", "int32", "float16", "bfloat16")
_NUMPY_DTYPES: dict[str, np.dtype] = {
    "float32": np.dtype("<f4"),
    "int8": np.dtype("i1"),
    "int16": np.dtype("<i2"),
    "int32": np.dtype("<i4"),
    "float16": np.dtype("<f2"),
    "bfloat16": np.dtype("<u2"),
}


@dataclass(frozen=True)
class Ct2Model(Mapping[str, np.ndarray]):
    """The variables of one CTranslate2 model; indexing resolves aliases.

    Arrays may be read-only views into the file's bytes; copy (``astype``) before modifying.
    """

    spec: str
    revision: int
    variables: dict[str, np.ndarray]
    aliases: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.variables[self.aliases.get(name, name)]

    def __iter__(self) -> Iterator[str]:
        yield from self.variables
        yield from self.aliases

    def __len__(self) -> int:
        return len(self.variables) + len(self.aliases)

    def scalar(self, name: str) -> int | float:
        """A rank-0 variable such as ``decoder/num_heads`` as a Python number."""
        return self[name].item()


class _Reader:
    """A cursor over the file's bytes that fails with a clear message instead of reading past the end."""

    def __init__(self, data: bytes, source: str) -> None:
        self.data = data
        self.pos = 0
        self.source = source

    def take(self, n: int) -> memoryview:
        if n < 0 or self.pos + n > len(self.data):
            raise ModelError(
                f"{self.source} is truncated or corrupt (needed {n} bytes at offset {self.pos}, "
                f"file has {len(self.data)}); reinstall the model package"
            )
        view = memoryview(self.data)[self.pos : self.pos + n]
        self.pos += n
        return view

    def unpack(self, fmt: str) -> int:
        (value,) = struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))
        return int(value)

    def string(self) -> str:
        length = self.unpack("H")
        raw = bytes(self.take(length))
        if length == 0 or raw[-1] != 0:
            raise ModelError(f"{self.source} is corrupt (bad string at offset {self.pos - length})")
        try:
            return raw[:-1].decode("utf-8")
        except UnicodeDecodeError as e:
            raise ModelError(f"{self.source} is corrupt (undecodable name)") from e


def parse_model_bin(data: bytes, source: str = "model.bin") -> Ct2Model:
    """Parse the bytes of a CTranslate2 model file.

    Args:
        data: the whole file.
        source: how to name the file in error messages.

    Raises:
        ModelError: unsupported version, truncated or corrupt data.
    """
    r = _Reader(data, source)
    version = r.unpack("I")
    if version not in SUPPORTED_VERSIONS:
        raise ModelError(
            f"{source} has CTranslate2 binary version {version}; only version 6 can be converted"
        )
    spec = r.string()
    revision = r.unpack("I")
    variables: dict[str, np.ndarray] = {}
    for _ in range(r.unpack("I")):
        name = r.string()
        shape = tuple(r.unpack("I") for _ in range(r.unpack("B")))
        type_id = r.unpack("B")
        if type_id >= len(DTYPES):
            raise ModelError(f"{source} is corrupt (unknown dtype id {type_id} for {name})")
        dtype_name = DTYPES[type_id]
        dtype = _NUMPY_DTYPES[dtype_name]
        nbytes = r.unpack("I")
        expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        if nbytes != expected:
            raise ModelError(
                f"{source} is corrupt ({name}: {nbytes} bytes for shape {shape} {dtype_name})"
            )
        array = np.frombuffer(r.take(nbytes), dtype=dtype).reshape(shape)
        if dtype_name == "bfloat16":
            array = (array.astype(np.uint32) << 16).view(np.float32)
        variables[name] = array
    aliases: dict[str, str] = {}
    for _ in range(r.unpack("I")):
        alias, target = r.string(), r.string()
        if target not in variables:
            raise ModelError(f"{source} is corrupt (alias {alias} points to missing {target})")
        aliases[alias] = target
    if r.pos != len(data):
        raise ModelError(f"{source} is corrupt ({len(data) - r.pos} unexpected bytes at the end)")
    return Ct2Model(spec=spec, revision=revision, variables=variables, aliases=aliases)


def serialize_model_bin(
    variables: Mapping[str, np.ndarray],
    aliases: Mapping[str, str] | None = None,
    *,
    spec: str = "WhisperSpec",
    revision: int = 3,
) -> bytes:
    """The inverse of :func:`parse_model_bin`, as CTranslate2 writes it; builds small test models.

    Arrays must have one of the dtypes in :data:`DTYPES` except bfloat16 (numpy has none).
    """
    by_numpy = {np.dtype(v): k for k, v in _NUMPY_DTYPES.items() if k != "bfloat16"}
    parts = [struct.pack("<I", 6), _string(spec), struct.pack("<II", revision, len(variables))]
    for name, value in variables.items():
        array = np.asarray(value)
        type_id = DTYPES.index(by_numpy[array.dtype.newbyteorder("<")])
        raw = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
        parts += [_string(name), struct.pack("<B", array.ndim),
                  struct.pack(f"<{array.ndim}I", *array.shape),
                  struct.pack("<BI", type_id, len(raw)), raw]
    parts.append(struct.pack("<I", len(aliases or {})))
    for alias, target in (aliases or {}).items():
        parts += [_string(alias), _string(target)]
    return b"".join(parts)


def _string(text: str) -> bytes:
    raw = text.encode("utf-8") + b"\0"
    return struct.pack("<H", len(raw)) + raw


def read_model_bin(path: Path) -> Ct2Model:
    """Read and parse ``model.bin`` at ``path`` (about 75 MB for tiny.en; read in one go)."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ModelError(f"cannot read {path}: {e.strerror or e}") from e
    return parse_model_bin(data, source=str(path))
