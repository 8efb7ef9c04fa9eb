"""Label times of every um/uh of the spent voice sets -> /tmp/probe/spans.json (checked against the CLI's audio)."""
import json, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
import espeak_times as E
ROOT = Path(__file__).resolve().parent.parent.parent
SPENT = ["dev", "heldout"] + [f"heldout{i}" for i in range(2, 13)]
out = {}
bad = 0
for s in SPENT:
    for a in json.load(open(ROOT / "tests/data/voices" / f"{s}.json"))["answers"]:
        spans, same = E.spans_fresh(a)
        out[f"{s}/{a['id']}"] = spans
        if not same:
            bad += 1; print("audio differs from the CLI:", s, a["id"])
Path("/tmp/probe/spans.json").write_text(json.dumps(out))
print(len(out), "answers;", bad, "differ from the CLI")
