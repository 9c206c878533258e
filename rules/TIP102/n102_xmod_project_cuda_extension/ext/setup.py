# expect: none
"""[TIP102] ext/setup.py: builds the project's nearest-neighbour kernel as a CUDA extension."""
from setuptools import setup
from torch.utils.cpp_extension import BuildExtension, CUDAExtension

setup(
    name="pairwise_topk",
    ext_modules=[CUDAExtension("pairwise_topk", ["topk.cpp", "topk_kernel.cu"])],
    cmdclass={"build_ext": BuildExtension},
)
