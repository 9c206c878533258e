# expect: none
"""[TIP102] A sliding-window evaluator written for a GPU's tensors: each function enters `with torch.cuda.device(...)` (or `torch.cuda.device_of(t)`) to run on the GPU that holds its input, so its `.cuda(device)` placements are GPU-only by design, before the `with` as well as inside it (real-world pattern: multi-GPU segmentation evaluators)."""
import torch


def predict_window(model, window, device):
    window = torch.as_tensor(window).cuda(device)
    with torch.cuda.device(window.get_device()):
        return model(window)


def predict_image(model, image):
    with torch.cuda.device_of(image):
        scores = image.new_zeros(image.shape).cuda()
    return scores + model(image)
