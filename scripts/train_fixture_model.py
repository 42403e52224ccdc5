"""Train the tiny German→English MarianMT model that the tests use.

The real opus-mt weights cannot be downloaded where this project is built, so the tests run a
small model trained here on the project's own parallel corpus (tests/data/*.tsv). It is saved in
standard Hugging Face format and loads through the same code as the real model.

    python scripts/train_fixture_model.py            # writes tests/fixtures/tiny-de-en
    python scripts/train_fixture_model.py --check    # only verify the saved model

Deterministic: fixed seeds, one thread for SentencePiece, deterministic torch algorithms.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
OUT = ROOT / "tests" / "fixtures" / "tiny-de-en"
SEED = 1234


def read_pairs() -> list[tuple[str, str]]:
    pairs = []
    for path in sorted(DATA.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            german, english = line.split("\t")
            pairs.append((german, english))
    return pairs


def train_spm(lines: list[str], prefix: Path, vocab_size: int) -> None:
    import sentencepiece as spm

    corpus = prefix.with_suffix(".txt")
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        seed_sentencepiece_size=100000,
        shuffle_input_sentence=False,
        unk_id=1,
        bos_id=-1,
        eos_id=2,
        pad_id=-1,
        unk_piece="<unk>",
        eos_piece="</s>",
        minloglevel=2,
    )


def build_vocab(source_spm: Path, target_spm: Path) -> dict[str, int]:
    import sentencepiece as spm

    vocab = {"</s>": 0, "<unk>": 1}
    for path in (source_spm, target_spm):
        model = spm.SentencePieceProcessor(model_file=str(path))
        for i in range(model.get_piece_size()):
            piece = model.id_to_piece(i)
            if piece not in vocab and not model.is_control(i) and not model.is_unknown(i):
                vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)  # opus-mt puts <pad> last; it is also the decoder start
    return vocab


def train(out: Path, epochs: int, threads: int) -> None:
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)
    pairs = read_pairs()
    print(f"{len(pairs)} sentence pairs", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        train_spm([g for g, _ in pairs], work / "source", 900)
        train_spm([e for _, e in pairs], work / "target", 800)
        vocab = build_vocab(work / "source.model", work / "target.model")
        (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        tokenizer = MarianTokenizer(
            source_spm=str(work / "source.model"),
            target_spm=str(work / "target.model"),
            vocab=str(work / "vocab.json"),
            source_lang="de",
            target_lang="en",
            model_max_length=512,
        )
        tmp_out = work / "model"
        tokenizer.save_pretrained(tmp_out)
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=160,
        encoder_layers=3,
        decoder_layers=3,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=512,
        decoder_ffn_dim=512,
        max_position_embeddings=512,
        activation_function="swish",
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        scale_embedding=True,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
    )
    model = MarianMTModel(config)
    sources = [g for g, _ in pairs]
    targets = [e for _, e in pairs]
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.0)
    total_steps = epochs * ((len(pairs) + 15) // 16)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=2e-3, total_steps=total_steps, pct_start=0.1
    )
    order = list(range(len(pairs)))
    started = time.time()
    model.train()
    for epoch in range(epochs):
        random.shuffle(order)
        total = 0.0
        for start in range(0, len(order), 16):
            idx = order[start : start + 16]
            batch = tokenizer(
                [sources[i] for i in idx],
                text_target=[targets[i] for i in idx],
                return_tensors="pt",
                padding=True,
            )
            batch["labels"][batch["labels"] == pad] = -100
            loss = model(**batch).loss
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            total += loss.item() * len(idx)
        if epoch % 20 == 0 or epoch == epochs - 1:
            print(
                f"epoch {epoch:4d} loss {total / len(pairs):.4f} ({time.time() - started:.0f}s)",
                flush=True,
            )
    model.eval()
    model.generation_config.num_beams = 4
    model.generation_config.bad_words_ids = [[pad]]
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "model"
        tokenizer.save_pretrained(staged)
        model.save_pretrained(staged)
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(staged, out)
    size = sum(p.stat().st_size for p in out.iterdir()) / 1e6
    print(f"saved {out} ({size:.1f} MB)")


def check(out: Path) -> int:
    """Translate every training sentence through the project's pipeline; count mismatches."""
    sys.path.insert(0, str(ROOT))
    from translate import Translator

    pairs = read_pairs()
    translator = Translator(str(out), cache=False)
    outputs = translator.translate_sentences([g for g, _ in pairs])
    wrong = [(g, e, o) for (g, e), o in zip(pairs, outputs, strict=True) if e != o]
    for german, expected, got in wrong[:20]:
        print(f"MISMATCH {german!r}\n  expected {expected!r}\n  got      {got!r}")
    print(f"{len(pairs) - len(wrong)}/{len(pairs)} training pairs reproduced exactly")
    return len(wrong)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--epochs", type=int, default=120)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="only verify the saved model")
    args = parser.parse_args()
    if not args.check:
        train(args.out, args.epochs, args.threads)
    return 1 if check(args.out) else 0


if __name__ == "__main__":
    sys.exit(main())
