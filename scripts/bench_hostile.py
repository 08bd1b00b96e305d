"""Benchmark the inputs that once took minutes: one 200,000-character line, a reader page of
bold markers, re-anchoring a 20,000-paragraph text.

The test suite checks what these produce (tests/importing/test_formats.py,
tests/views/test_sources.py, tests/text/test_anchoring.py); this script times them, away from
the suite, where a loaded machine cannot make a test flaky. Each figure is printed with the
goal it was once asserted against; the exit status is 1 if any is over its goal.

    python scripts/bench_hostile.py [--runs 3]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LONG_PROSE = ("The quick brown fox jumps over the lazy dog. " * 5000)[:200_000]
LONG_LINES = {
    "prose": LONG_PROSE,
    "wiki": "=a" + " " * 199_998,  # took minutes in the heading pattern before the length guard
    "markdown": "# a" + " " * 199_997,
    "glue": "x.Y" * 66_667,  # a glue candidate at every third character
    "one-word": "a" * 200_000,
}


def timed(function, runs: int) -> float:
    """The median of `runs` calls, in seconds."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def report(rows: list[tuple[str, float, float]]) -> int:
    over = 0
    width = max(len(name) for name, _, _ in rows)
    for name, seconds, goal in rows:
        flag = "ok" if seconds < goal else "OVER"
        over += seconds >= goal
        print(f"{name:<{width}}  {seconds:7.3f} s  (goal < {goal:g} s)  {flag}")
    return over


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="claimbook-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"  # never the shared database
    os.environ["DJANGO_SETTINGS_MODULE"] = "kb.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from kb.importing.prepare import prepare
    from kb.services.sources import source_import
    from kb.text.anchoring import TextMap, place

    call_command("migrate", verbosity=0)
    rows = []
    for name, line in LONG_LINES.items():
        data = (line + "\n").encode("utf-8")
        rows.append((f"prepare a 200,000-character line ({name})", timed(lambda: prepare(data, "long.txt"), args.runs), 3))
    for n, (name, line) in enumerate(LONG_LINES.items()):
        data = (line + "\n").encode("utf-8")
        counter = iter(range(10**6))
        rows.append((f"import a 200,000-character line ({name})",
                     timed(lambda: source_import(data=data, name="long.txt", metadata={"slug": f"long-{n}-{next(counter)}"}),
                           args.runs), 10))

    bold = "A claim. " + "**x " * 50_000 + "end.\n"
    source_import(data=bold.encode(), name="bold.txt", metadata={"slug": "bold"}, candidates=False)
    client = Client(HTTP_HOST="127.0.0.1")

    def reader():
        response = client.get("/sources/bold/")
        assert response.status_code == 200, response.status_code

    rows.append(("reader page of 50,000 bold markers", timed(reader, args.runs), 10))

    paragraph = "Iran provides funds, weapons and training to the group, officials said. "
    old = "\n\n".join(f"[{n}] {paragraph * 3}" for n in range(20000))
    new = old.replace("[7777] Iran provides funds", "[7777] Iran gives funds", 1)

    def reanchor():
        mapping = TextMap(old, new)
        start = old.index("[7777] Iran provides funds")
        end = old.index("said.", start) + 5
        place(mapping, start=start, end=end, quote=old[start:end])
        far = old.index("[19999] Iran")
        place(mapping, start=far, end=far + 30, quote=old[far : far + 30])

    rows.append(("place two ranges in a 4.4 MB text", timed(reanchor, args.runs), 5))
    sys.exit(1 if report(rows) else 0)


if __name__ == "__main__":
    main()
