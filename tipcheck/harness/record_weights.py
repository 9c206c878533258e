"""Recording the torchvision weights a script asks for, without downloading any.

`WeightsRecording`, a mixin of `tipcheck.harness.instrument.Recorder`, patches
`WeightsEnum.get_state_dict` (once the script imports torchvision) to record the member and the
builder and return `SkippedWeights`, which `nn.Module.load_state_dict` takes as a no-op, and
`WeightsEnum.verify` to record what it resolved (see `tipcheck.harness.instrument` for the report).
It uses the Recorder's `weights`, `weights_resolved`, `rank` and `_paused`.

Nothing here imports torch or torchvision at import time.
"""

from __future__ import annotations

import sys
from typing import Optional

WEIGHTS_MODULE = "torchvision.models._api"


class SkippedWeights(dict):
    """What `WeightsEnum.get_state_dict` returns under the instrumentation: no weights (nothing is
    downloaded); `nn.Module.load_state_dict` takes it as a no-op. Empty, so code that walks the
    state dict's keys (densenet's builder does) walks nothing."""

    def __init__(self, member: str) -> None:
        super().__init__()
        self.member = member


def _torchvision_builder() -> Optional[str]:
    """The outermost public function of torchvision.models on the stack: the builder called."""
    frame = sys._getframe(2)
    found = None
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        name = frame.f_code.co_name
        if module.startswith("torchvision.models") and not name.startswith("_") and "wrapper" not in name:
            found = name
        frame = frame.f_back
    return found


class _AfterImport:
    """A meta path finder that calls `callback(module)` once `name` has been imported."""

    def __init__(self, name: str, callback) -> None:
        self.name = name
        self.callback = callback

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        import importlib.util

        sys.meta_path.remove(self)  # once; and find_spec below must not find this finder again
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader, callback = spec.loader, self.callback

        class Loader:
            def create_module(self, spec):
                return loader.create_module(spec)

            def exec_module(self, module):
                loader.exec_module(module)
                callback(module)

        spec.loader = Loader()
        return spec


class WeightsRecording:
    """Records the torchvision weights asked for, loads none (a mixin of the Recorder)."""

    def _install_weights(self, torch) -> None:
        original_load = torch.nn.Module.load_state_dict

        def load_state_dict(module, state_dict, *args, **kwargs):
            if isinstance(state_dict, SkippedWeights):
                from torch.nn.modules.module import _IncompatibleKeys

                return _IncompatibleKeys([], [])
            return original_load(module, state_dict, *args, **kwargs)

        load_state_dict.__doc__ = original_load.__doc__
        load_state_dict.__wrapped__ = original_load
        torch.nn.Module.load_state_dict = load_state_dict
        if WEIGHTS_MODULE in sys.modules:
            self._patch_weights(sys.modules[WEIGHTS_MODULE])
        else:  # patch it when (if) the script imports torchvision: importing it here costs a second
            sys.meta_path.insert(0, _AfterImport(WEIGHTS_MODULE, self._patch_weights))

    def _patch_weights(self, api) -> None:
        enum = api.WeightsEnum
        if getattr(enum, "_tipcheck_patched", False):
            return
        original_verify = enum.__dict__["verify"].__func__

        def get_state_dict(member, *args, **kwargs):
            name = f"{type(member).__name__}.{member.name}"
            self.weights.append({"member": name, "builder": _torchvision_builder(), "rank": self.rank})
            return SkippedWeights(name)

        def verify(cls, obj):
            result = original_verify(cls, obj)
            if not self._paused:
                member = None if result is None else f"{type(result).__name__}.{result.name}"
                self.weights_resolved.append(
                    {"member": member, "enum": cls.__name__, "builder": _torchvision_builder()}
                )
            return result

        enum.get_state_dict = get_state_dict
        enum.verify = classmethod(verify)
        enum._tipcheck_patched = True
