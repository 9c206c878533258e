"""`python -m tipcheck.harness.run [FIXTURES|PREPARED_DIR]... [--device cpu|cuda]... [--nproc N] [--json REPORT]`

The harness without tipcheck's command line (click) or linter (libcst): for a machine that has
torch but not those, given the fixed copies made elsewhere (`tipcheck harness --prepare DIR`, then
`python -m tipcheck.harness.run DIR`). Same options as `tipcheck harness`; see
`tipcheck.harness.command`.
"""

import sys

from tipcheck.harness.command import main

if __name__ == "__main__":
    sys.exit(main())
