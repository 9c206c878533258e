"""The cost of CPython's parse before LibCST's (tipcheck.limits.precheck), against LibCST's parse.

    python benchmarks/precheck.py [FOLDER]   (default: the installed torch/nn)

Prints the best of three rounds of each over every .py file under FOLDER, and their ratio.
"""

import glob
import os
import sys
import time

import libcst as cst

from tipcheck.limits import precheck


def main() -> None:
    if len(sys.argv) > 1:
        folder = sys.argv[1]
    else:
        import torch

        folder = os.path.join(os.path.dirname(torch.__file__), "nn")
    files = sorted(glob.glob(os.path.join(folder, "**", "*.py"), recursive=True))
    texts = []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            texts.append(handle.read())
    best_precheck = best_parse = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            precheck(text)
        best_precheck = min(best_precheck, time.perf_counter() - start)
        start = time.perf_counter()
        for text in texts:
            cst.parse_module(text)
        best_parse = min(best_parse, time.perf_counter() - start)
    size = sum(map(len, texts)) / 1e6
    print(
        f"{len(texts)} files, {size:.1f} MB: precheck {best_precheck:.2f} s, LibCST parse {best_parse:.2f} s, "
        f"ratio {best_precheck / best_parse:.3f}"
    )


if __name__ == "__main__":
    main()
