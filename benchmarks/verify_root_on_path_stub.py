import os
import sys

# For `tipcheck verify --data-stub`: a script its README runs as `python -m pkg.scripts.train` from the
# project root imports the root package; this puts the folder the run starts in (the copy of the
# folder verify was started from, the root) first on sys.path, as `python -m` would.
sys.path.insert(0, os.getcwd())
