"""`tipcheck verify SCRIPT [-- ARGS...]`: prove tipcheck's fixes on the user's own training script.

It copies the project around SCRIPT to a scratch folder twice, applies tipcheck's fixes (unsafe
ones included, or the codes given) to the second copy, runs both copies in short form under the
harness's instrumentation with the same seed, and compares what each fix promised (the LR per
step, sampler orders per epoch and rank, devices at each forward, the weights loaded, warnings,
exceptions) and what must not change (the first step's loss, the number of optimizer steps, no new
exception or warning). It runs the user's own code, as `python SCRIPT` would.

The modules:
- `scratch`: the project's root, the copies, the fix (the only module that needs the linter);
- `inside`: what each run's process adds to the instrumentation (`TIPCHECK_VERIFY`): the seed,
  the short-run limits, the missing-data notes, hub weights; `standins`: torchvision's datasets in
  memory;
- `session`: a session (`verify(Options)`): the scrubbed environment, both runs, the judging;
- `promises`: what each rule's fix promises, judged; `unchanged`: what must not change;
- `hints`: why a script could not run, and its dummy-data option;
- `report`: the table and the JSON report; `command`: the click command.

Nothing here imports torch but `inside` and `standins`, which run in the instrumented process.
"""
