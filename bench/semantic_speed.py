"""Speed and memory of the semantic content engine on a ~330-word answer.

Reports: encoder load time (sha256 checks included), median content-scoring time over 20 runs with
the encoder loaded (regex engine beside it): semantic cold (no clause embedded before), as at the
end of a spoken answer (all but the last phrase embedded while it was said, as the voice loop's
content warmer does) and as on the typed-answer screens once their head start has caught up, and
the memory the encoder adds (resident set before loading vs. the peak after loading and scoring).
The first load is measured with an empty cache folder, so it includes making the int8 copy of the
graph (in a child process, simulator/rubric/encoder_weights.py); the memory is that of the app's own
process, whose load then reads the copy. Run: ``python bench/semantic_speed.py [--write]``.
The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LAST_PHRASE_WORDS = 14
"""The words of the answer's last phrase (about 5 s of speech), not yet embedded when it ends."""
ANSWER = (
    "so um last winter i was working on the returns desk at a big hardware store and a builder came in "
    "really angry because the tiles he had ordered for a bathroom job were the wrong colour and his client "
    "was waiting for him to finish before the weekend. my job was to get him the right tiles before monday "
    "without making him pay again. first i apologised and i let him tell me the whole story without "
    "interrupting, because he was clearly stressed and he had already been to two other stores. then i "
    "checked the order history on the system and found that the mistake was ours, the colour code had "
    "been typed in wrong by one of us at the counter. i rang the warehouse and asked if they had the "
    "right batch in stock, and they did, so i arranged a van for saturday morning and i booked it in "
    "myself so it would not get lost in the queue. i also gave him a discount on the grout and the "
    "adhesive for the trouble, and i wrote my name and the reference number on a card so he could call "
    "me directly if anything went wrong. the tiles arrived on saturday at nine, he finished the job on "
    "time, and the client was happy with the bathroom. he came back the week after and opened a trade "
    "account with us, and he still orders from us every month, which is about two thousand pounds of "
    "business a year for the store. what i learned from it is to read the colour code back to the "
    "customer when they order and to check the batch before it leaves the warehouse. since then i "
    "always do that, and i showed the new starters how to do it too, so we have had far fewer wrong "
    "orders on the desk since then, maybe one a month instead of one a week."
)


def _status(key: str) -> int:
    return int(re.search(rf"{key}:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))


def main(argv: list[str]) -> int:
    from simulator.rubric import load_bank, score_content  # noqa: PLC0415

    bank = load_bank()
    score_content(ANSWER, rubric="star", bank=bank, engine="regex")
    import numpy  # noqa: F401, PLC0415
    import onnxruntime  # noqa: F401, PLC0415
    import tokenizers  # noqa: F401, PLC0415

    from simulator.rubric import encoder  # noqa: PLC0415

    before = _status("VmRSS")
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="semantic-speed-")  # an empty cache folder
    t0 = time.perf_counter()
    encoder.get_encoder()
    first_s = time.perf_counter() - t0
    encoder._encoder = None
    gc.collect()
    t0 = time.perf_counter()
    encoder.get_encoder()
    load_s = time.perf_counter() - t0
    words = len(ANSWER.split())
    score_content(ANSWER, rubric="star", bank=bank, engine="semantic")  # examples embedded once
    from simulator.rubric import semantic, warm  # noqa: PLC0415

    def cold() -> None:
        semantic._RECENT = semantic._RecentClauses(semantic.RECENT_CLAUSES)

    def spoken() -> None:
        """As in the voice loop: everything but the last ~5 s phrase was warmed while it was said."""
        cold()
        warm(" ".join(ANSWER.split()[:-LAST_PHRASE_WORDS]), engine="semantic")

    def typed() -> None:
        """As on the typed-answer screens: the answer so far handed to the head start at each word
        (each key, in the app; it keeps only the newest text while busy), until it has caught up."""
        cold()
        warmer = ContentWarmer(lambda text: warm(text, engine="semantic"))
        words = ANSWER.split()
        for n in range(1, len(words) + 1):
            warmer.submit(" ".join(words[:n]))
        while warmer.busy:
            time.sleep(0.005)

    from simulator.session.content_warmer import ContentWarmer  # noqa: PLC0415

    runs = {}
    for name, engine, before_each in (("regex", "regex", None), ("semantic, cold", "semantic", cold),
                                      ("semantic, at the end of a spoken answer", "semantic", spoken),
                                      ("semantic, once a typed answer's head start caught up", "semantic",
                                       typed)):
        times = []
        for _ in range(20):
            if before_each is not None:
                before_each()
            t = time.perf_counter()
            score_content(ANSWER, rubric="star", bank=bank, engine=engine)
            times.append(time.perf_counter() - t)
        runs[name] = statistics.median(times) * 1000
    peak = _status("VmHWM")
    shutil.rmtree(os.environ["XDG_CACHE_HOME"], ignore_errors=True)
    load = os.getloadavg()[0]
    text = (
        f"| measure | value |\n|---|---:|\n"
        f"| answer length | {words} words |\n"
        f"| encoder load, first ever (sha256 check, int8 copy made in a child, ONNX session) | {first_s:.2f} s |\n"
        f"| encoder load (sha256 checks + ONNX session) | {load_s:.2f} s |\n"
        + "".join(f"| content scoring, {name}, median of 20 | {ms:.1f} ms |\n" for name, ms in runs.items())
        + f"| memory added by the encoder (peak RSS - RSS before load) | {(peak - before) / 1024:.0f} MB |\n"
        f"| load average (1 min) while measuring, 2 cores shared | {load:.1f} |\n"
    )
    print(text)
    if "--write" in argv:
        (ROOT / "bench" / "results" / "semantic_speed.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
