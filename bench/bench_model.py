"""Build the benchmark model: random weights, the exact architecture of Helsinki-NLP/opus-mt-de-en.

The real weights cannot be downloaded where this project is built, and speed does not depend on
the weights' values, only on the shapes: vocabulary 58101, d_model 512, 6 encoder + 6 decoder
layers, 8 heads, FFN 2048, swish, tied embeddings, static sinusoidal positions, <pad> (58100) as
decoder start, </s> = 0. The tokenizer is a SentencePiece model trained on the project's own German
text; vocab.json is padded with filler pieces to the full 58101 entries, so that the embedding and
output-projection matrices have their real sizes.

Built once (about half a minute) into a cache folder and reused; a half-built folder is never
used, because the build happens in a temporary folder that is renamed into place at the end.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = Path(__file__).resolve().parent / ".cache"
RECIPE_VERSION = 1
"""Bump when the recipe changes, so that an older build is not reused."""

VOCAB_SIZE = 58101
PAD_ID = VOCAB_SIZE - 1
OPUS_MT_DE_EN = {
    "vocab_size": VOCAB_SIZE,
    "decoder_vocab_size": VOCAB_SIZE,
    "d_model": 512,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "decoder_ffn_dim": 2048,
    "max_position_embeddings": 512,
    "activation_function": "swish",
    "scale_embedding": True,
    "static_position_embeddings": True,
    "share_encoder_decoder_embeddings": True,
    "tie_word_embeddings": True,
    "normalize_embedding": False,
    "pad_token_id": PAD_ID,
    "decoder_start_token_id": PAD_ID,
    "eos_token_id": 0,
    "forced_eos_token_id": 0,
    "dropout": 0.1,
    "attention_dropout": 0.0,
    "activation_dropout": 0.0,
}
"""The numbers from opus-mt-de-en's config.json."""


def model_dir(cache: Path = DEFAULT_CACHE) -> Path:
    """Where the benchmark model lives once built."""
    return cache / f"opus-mt-de-en-shaped-v{RECIPE_VERSION}"


def german_corpus() -> list[str]:
    """Every German line the project has: the test corpus, the seed article, the bench text."""
    from workload import EXTRA_TEXT, SEED_ARTICLE

    lines = []
    for path in sorted((ROOT / "tests" / "data").glob("*.tsv")):
        lines += [row.split("\t")[0] for row in path.read_text(encoding="utf-8").splitlines()]
    for text in (SEED_ARTICLE.read_text(encoding="utf-8"), EXTRA_TEXT):
        lines += [line for line in text.splitlines() if line.strip()]
    return lines


def _train_spm(lines: list[str], prefix: Path) -> None:
    import sentencepiece as spm

    corpus = prefix.with_suffix(".txt")
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=4000,
        hard_vocab_limit=False,  # a small corpus yields fewer pieces; that is fine
        model_type="unigram",
        character_coverage=1.0,
        num_threads=1,
        unk_id=1,
        bos_id=-1,
        eos_id=2,
        pad_id=-1,
        unk_piece="<unk>",
        eos_piece="</s>",
        minloglevel=2,
    )


def _vocab(spm_file: Path) -> dict[str, int]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(spm_file))
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(processor.get_piece_size()):
        piece = processor.id_to_piece(i)
        if piece not in vocab and not processor.is_control(i) and not processor.is_unknown(i):
            vocab[piece] = len(vocab)
    filler = 0
    while len(vocab) < PAD_ID:
        vocab[f"<filler{filler}>"] = len(vocab)
        filler += 1
    vocab["<pad>"] = PAD_ID
    return vocab


def build(cache: Path = DEFAULT_CACHE, *, log: bool = True) -> Path:
    """Build the model into ``cache`` unless it is there already; return its folder."""
    final = model_dir(cache)
    if (final / "bench-model.json").is_file():
        return final
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    started = time.perf_counter()
    if log:
        print(f"building the benchmark model into {final} (once) ...", flush=True)
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".build-") as tmp:
        work = Path(tmp)
        _train_spm(german_corpus(), work / "spm")
        vocab = _vocab(work / "spm.model")
        assert len(vocab) == VOCAB_SIZE
        staged = work / "model"
        staged.mkdir()
        shutil.copy(work / "spm.model", staged / "source.spm")
        shutil.copy(work / "spm.model", staged / "target.spm")
        (staged / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
        tokenizer = MarianTokenizer(
            source_spm=str(staged / "source.spm"),
            target_spm=str(staged / "target.spm"),
            vocab=str(staged / "vocab.json"),
            source_lang="de",
            target_lang="en",
            model_max_length=512,
        )
        tokenizer.save_pretrained(staged)
        torch.manual_seed(0)
        model = MarianMTModel(MarianConfig(**OPUS_MT_DE_EN))
        model.generation_config = GenerationConfig(
            # opus-mt-de-en's generation defaults
            num_beams=4,
            max_length=512,
            bad_words_ids=[[PAD_ID]],
            decoder_start_token_id=PAD_ID,
            pad_token_id=PAD_ID,
            eos_token_id=0,
            forced_eos_token_id=0,
        )
        model.save_pretrained(staged)
        parameters = sum(p.numel() for p in model.parameters())
        (staged / "bench-model.json").write_text(
            json.dumps({"recipe": RECIPE_VERSION, "parameters": parameters}), "utf-8"
        )
        if final.exists():
            shutil.rmtree(final)
        staged.rename(final)
    if log:
        print(
            f"built: {parameters / 1e6:.1f}M parameters in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
    return final


def parameter_count(folder: Path) -> int:
    """The parameter count recorded when the model was built."""
    return int(json.loads((folder / "bench-model.json").read_text("utf-8"))["parameters"])


def use_bench_cache(cache: Path = DEFAULT_CACHE) -> Path:
    """Point the project's cache (conversions, translations) at the benchmark's cache folder.

    Keeps the benchmark's CTranslate2 conversion out of the user's cache and reuses it between
    runs. Returns the folder.
    """
    import os

    folder = cache / "translate-cache"
    os.environ["TRANSLATE_CACHE_DIR"] = str(folder)
    return folder


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    print(build())
