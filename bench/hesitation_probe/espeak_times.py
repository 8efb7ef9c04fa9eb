"""Exact times of each um/uh in a rendered voice-set answer, from libespeak-ng's own word/phoneme events.

The same synthesis as tests/data/voices/render.py (same SSML, voice, rate, pitch), run through the library
with synchronous output so the callback sees the samples and the events; the audio is checked against the
CLI's. Times are returned in the rendered file's time (LEAD_S of padding added).
"""
from __future__ import annotations

import ctypes as C
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "tests" / "data" / "voices"))
import render  # noqa: E402

class _ID(C.Union):
    _fields_ = [("number", C.c_int), ("name", C.c_char_p), ("string", C.c_char * 8)]

class EVENT(C.Structure):
    _fields_ = [("type", C.c_int), ("unique_identifier", C.c_uint), ("text_position", C.c_int),
                ("length", C.c_int), ("audio_position", C.c_int), ("sample", C.c_int),
                ("user_data", C.c_void_p), ("id", _ID)]

CB = C.CFUNCTYPE(C.c_int, C.POINTER(C.c_short), C.c_int, C.POINTER(EVENT))
_lib = None
_rate = None
_buf: list = []
_events: list = []


def _cb(wav, n, ev):
    if wav and n > 0:
        _buf.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
    i = 0
    while ev[i].type != 0:
        e = ev[i]
        name = None
        if e.type == 7:  # phoneme: id.string holds the mnemonic
            name = bytes(e.id.string).split(b"\0")[0].decode("latin1")
        _events.append((e.type, e.text_position, e.length, e.audio_position, e.sample, name))
        i += 1
    return 0


_cbref = CB(_cb)


def _init():
    global _lib, _rate
    if _lib is None:
        _lib = C.CDLL("libespeak-ng.so.1")
        _rate = _lib.espeak_Initialize(2, 0, None, 0x8000 | 0x0001)  # synchronous, phoneme events
        _lib.espeak_SetSynthCallback(_cbref)


def synth(a: dict):
    """(samples int16 at espeak's rate, rate, events) for one answer."""
    _init()
    _buf.clear(); _events.clear()
    _lib.espeak_SetVoiceByName(a["voice"].encode())
    _lib.espeak_SetParameter(1, int(a["rate"]), 0)
    _lib.espeak_SetParameter(3, int(a["pitch"]), 0)
    ssml = render.to_ssml(a["text"]).encode("utf-8")
    r = _lib.espeak_Synth(ssml, len(ssml) + 1, 0, 1, 0, 0x1 | 0x10, None, None)
    assert r == 0, r
    return (np.concatenate(_buf) if _buf else np.zeros(0, np.int16)), _rate, list(_events), ssml.decode()


def hesitation_spans(a: dict):
    """[(kind, start_s, end_s)] in the rendered file's time, one per um/uh of the text, in order."""
    wav, rate, events, ssml = synth(a)
    # character positions (1-based, in the SSML string) of each hesitation word
    targets = [(m.group(1).lower(), m.start() + 1) for m in re.finditer(r'<prosody rate="slow">(um|uh)</prosody>', ssml, re.I)]
    targets = [(k, p + len('<prosody rate="slow">')) for k, p in targets]
    words = [e for e in events if e[0] == 1]
    phon = [e for e in events if e[0] == 7]
    out = []
    for kind, pos in targets:
        w = sorted([e for e in words if abs(e[1] - pos) <= 2 and e[2] > 0], key=lambda e: abs(e[1] - pos))
        if not w:
            # nearest word event
            w = [min(words, key=lambda e: abs(e[1] - pos))]
        t0 = w[0][3] / 1000
        # phonemes from the word start on until a pause phoneme or the next word's start
        nxt = [e[3] for e in words if e[3] > w[0][3]]
        t_next = (nxt[0] / 1000) if nxt else len(wav) / rate
        ph = [p for p in phon if w[0][3] <= p[3] < t_next * 1000]
        end = t_next
        for p in ph:
            if p[5] and p[5].startswith("_") and p[3] / 1000 > t0:
                end = p[3] / 1000
                break
        out.append((kind, t0 + render.LEAD_S, end + render.LEAD_S, [(p[5], p[3]) for p in ph]))
    return out, wav, rate, words


def _child(a, q):
    spans, wav, rate, _ = hesitation_spans(a)
    q.put((spans, wav, rate))


def spans_fresh(a: dict, check: bool = True):
    """hesitation_spans in a fresh process (libespeak-ng keeps state between syntheses: voice variant,
    prosody), and, with check, the synthesised samples compared with the espeak-ng CLI's own output."""
    import multiprocessing as mp
    import subprocess
    import tempfile
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(a, q))
    p.start(); spans, wav, rate = q.get(); p.join()
    same = None
    if check:
        import soundfile as sf
        with tempfile.TemporaryDirectory() as tmp:
            ssml = Path(tmp) / "in.ssml"; raw = Path(tmp) / "raw.wav"
            ssml.write_text(render.to_ssml(a["text"]), encoding="utf-8")
            subprocess.run(["espeak-ng", "-m", "-v", a["voice"], "-s", str(a["rate"]), "-p", str(a["pitch"]),
                            "-w", str(raw), "-f", str(ssml)], check=True, capture_output=True)
            x, _ = sf.read(raw, dtype="int16")
        same = len(x) == len(wav) and bool(np.array_equal(x, wav))
    return [s[:3] for s in spans], same
