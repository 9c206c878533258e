"""A stand-in for a pretrained BERT folder, for `tipcheck verify` on scripts that fine-tune one
from a local `--model_name_or_path` (no download, no pretrained weights here): a 2-layer BERT of
hidden size 32 with random weights (seed 0), its `config.json`, weights and a `vocab.txt` made
of the special tokens and the characters of the given text files.

    python benchmarks/verify_tiny_bert.py OUT_DIR [TEXT_FILE ...]

The weights are a `BertModel`'s: a project's model with a `bert` body and its own head loads them
as its pretrained body (the head keeps its random init, as with real pretrained weights)."""

import os
import sys

import torch
from transformers import BertConfig, BertModel, BertTokenizer

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def main(out: str, texts: list) -> None:
    chars = set()
    for path in texts:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                chars.update(line.split()[0] if line.split() else "")
    vocab = SPECIAL + sorted(c for c in chars if c not in SPECIAL)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(vocab) + "\n")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
    )
    model = BertModel(config)
    model.save_pretrained(out)
    BertTokenizer(os.path.join(out, "vocab.txt")).save_pretrained(out)
    print(f"{out}: vocabulary of {len(vocab)}, {sum(p.numel() for p in model.parameters())} parameters")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
