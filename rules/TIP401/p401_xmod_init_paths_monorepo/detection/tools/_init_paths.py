# expect: none
"""[TIP401] detection/tools/_init_paths.py: puts detection/lib in front of sys.path through a small add_path() helper, the way many detection code bases do."""

import os.path as osp
import sys


def add_path(path):
    if path not in sys.path:
        sys.path.insert(0, path)


this_dir = osp.dirname(__file__)
add_path(osp.join(this_dir, "..", "lib"))
