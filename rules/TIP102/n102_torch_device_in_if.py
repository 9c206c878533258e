# expect: none
"""[TIP101, TIP102, TIP103] `torch.device("cuda")` only inside `if torch.cuda.is_available():`, CPU otherwise (real-world pattern: the explicit if/else spelling of the idiom)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from speech import LibriSpeechMel, ConformerTiny, ctc_collate

if torch.cuda.is_available():
    device = torch.device("cuda")
    print(f"training on {torch.cuda.get_device_name(0)}")
else:
    device = torch.device("cpu")

loader = DataLoader(LibriSpeechMel("train-clean-100"), batch_size=16, shuffle=True, collate_fn=ctc_collate)
model = ConformerTiny(n_mels=80, vocab=29).to(device)
ctc = nn.CTCLoss(blank=0, zero_infinity=True)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)

for epoch in range(50):
    for mels, mel_lens, tokens, token_lens in loader:
        mels, tokens = mels.to(device), tokens.to(device)
        log_probs = model(mels).log_softmax(-1).transpose(0, 1)
        loss = ctc(log_probs, tokens, mel_lens, token_lens)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
