"""A/B of the cache: cold, warm and "warm, 1 file edited" runs of two tipcheck checkouts, interleaved
on one copy of a corpus (each checkout keeps its own cache layout in the same folder).

    python benchmarks/cache_ab.py BEFORE_ROOT AFTER_ROOT CORPUS_DIR [REPEAT]

BEFORE_ROOT and AFTER_ROOT are folders holding a `tipcheck` package (e.g. `git archive` of two
commits); CORPUS_DIR a tree of Python files (e.g. an unzipped wheel, as benchmarks/bench.py
fetches). The edit appends a comment to the largest file, as bench.py does. Medians of wall and
CPU time (user + system, of the process and its workers).
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

orig, new, corpus = sys.argv[1], sys.argv[2], sys.argv[3]
repeat = int(sys.argv[4]) if len(sys.argv) > 4 else 5
work = tempfile.mkdtemp(prefix="ib-")
copy = os.path.join(work, "tree")
shutil.copytree(corpus, copy)
files = [os.path.join(d, f) for d, _, fs in os.walk(copy) for f in fs if f.endswith(".py")]
largest = max(files, key=os.path.getsize)
cmd = [sys.executable, "-m", "tipcheck", "lint", copy, "--format", "concise", "--no-respect-gitignore"]


def run(root):
    env = dict(os.environ, PYTHONPATH=root)
    env.pop("TIPCHECK_CACHE_DIR", None)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert p.returncode in (0, 1), p.stderr[-2000:]
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime), p.stdout


roots = {"before": orig, "after": new}
rows = {(k, r): [] for k in roots for r in ("cold", "warm", "edited")}
outs = {}
for k, root in roots.items():
    w, c, outs[k] = run(root)
    rows[(k, "cold")].append((w, c))
assert outs["before"] == outs["after"]
for i in range(repeat):
    for k, root in roots.items():
        w, c, out = run(root)
        rows[(k, "warm")].append((w, c))
        assert out == outs["before"]
    with open(largest, "a") as h:
        h.write(f"\n# edit {i}\n")
    for k, root in roots.items():
        w, c, out = run(root)
        rows[(k, "edited")].append((w, c))
print(
    f"{os.path.basename(corpus)}: {len(files)} files, edited {os.path.relpath(largest, copy)}; load {os.getloadavg()[0]:.1f}"
)
for r in ("cold", "warm", "edited"):
    for k in roots:
        v = rows[(k, r)]
        ws = [a for a, _ in v]
        cs = [b for _, b in v]
        print(
            f"  {r:6s} {k:6s} wall median {statistics.median(ws):.2f} s (min {min(ws):.2f}) | CPU median {statistics.median(cs):.2f} s (min {min(cs):.2f})"
        )
size = subprocess.run(
    ["du", "-sh"]
    + [
        os.path.join(work, ".tipcheck_cache", d)
        for d in os.listdir(os.path.join(work, ".tipcheck_cache"))
        if not d.startswith(".") and d != "CACHEDIR.TAG"
    ],
    capture_output=True,
    text=True,
).stdout
print("  cache folders:", size.replace("\n", "; "))
shutil.rmtree(work)
