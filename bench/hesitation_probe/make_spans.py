"""Label times of every um/uh of the spent voice sets -> /tmp/probe/spans.json (checked against the CLI's audio).

    PYTHONPATH=. .venv/bin/python bench/hesitation_probe/make_spans.py [SET ...]

Without SET, every set in SPENT; with SETs, those are added to the file. Never a blind set.
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import espeak_times as E  # noqa: E402
from fillers_voices import SPENT  # noqa: E402  (never a blind set)

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = Path("/tmp/probe/spans.json")
sets = sys.argv[1:] or SPENT
assert all(s in SPENT for s in sets), "spent sets only"
out = json.loads(OUT.read_text()) if OUT.exists() else {}
bad = 0
for s in sets:
    for a in json.load(open(ROOT / "tests/data/voices" / f"{s}.json"))["answers"]:
        spans, same = E.spans_fresh(a)
        out[f"{s}/{a['id']}"] = spans
        if not same:
            bad += 1
            print("audio differs from the CLI:", s, a["id"])
OUT.write_text(json.dumps(out))
print(len(out), "answers;", bad, "differ from the CLI")
