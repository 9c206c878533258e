"""[TIP102] `build()` imports torch itself and is called before the module's own `import torch`: a device variable defined at module level after that import would not exist yet when `build()` runs, and none can go earlier, so there is no fix (synthetic, scattered imports)."""
import os


def build():
    import torch

    return torch.nn.Linear(2, 2).cuda()  # expect: TIP102[no-fix]


model = build()

import torch  # noqa: E402

x = torch.zeros(1, 2).to(next(model.parameters()).device)
print(model(x))
