# expect: none
"""[TIP401] segmentation/tools/_init_paths.py: puts segmentation/lib in front of sys.path through add_path(), like its detection twin."""

import os.path as osp
import sys


def add_path(path):
    if path not in sys.path:
        sys.path.insert(0, path)


this_dir = osp.dirname(__file__)
add_path(osp.join(this_dir, "..", "lib"))
