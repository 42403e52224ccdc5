"""Measure CTranslate2 thread and batching settings on this machine.

    python bench/ct2_threads.py              # 24 sentences, 40 output tokens, beam 4
    python bench/ct2_threads.py --quick      # fewer settings and sentences

The project's ct2 backend picks its defaults (``tuned_threads``, ``DEFAULT_MAX_BATCH_SIZE``)
from this table; run it on a new kind of machine before changing them. Every setting translates
the same sentences through the real Translator path (length-sorted batches of ``--batch-size``
sentences, each cut into CTranslate2 sub-batches), with the output length forced so each does
the same work. Timings on a busy machine are noisy: compare settings within one run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_model  # noqa: E402
from workload import unique_sentences, workload_text  # noqa: E402


def measure(
    model: Path,
    sentences: list[str],
    *,
    inter: int,
    intra: int,
    max_batch_size: int,
    batch_type: str,
    batch_size: int,
    tokens: int,
) -> float:
    """Sentences per second for one setting (after one warm-up batch)."""
    from translate import Translator
    from translate.backends.ct2_backend import CTranslate2Backend

    translator = Translator(
        str(model),
        backend="ct2",
        cache=False,
        batch_size=batch_size,
        min_new_tokens=tokens,
        max_new_tokens=tokens,
    )
    translator._backend = CTranslate2Backend(
        translator.spec,
        device="cpu",
        inter_threads=inter,
        intra_threads=intra,
        max_batch_size=max_batch_size,
        batch_type=batch_type,
    )
    translator.translate_sentences(sentences[:2])
    started = time.perf_counter()
    translator.translate_sentences(sentences)
    return len(sentences) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer settings and sentences")
    parser.add_argument("--sentences", type=int, default=None, help="default 24 (quick: 12)")
    parser.add_argument("--tokens", type=int, default=40, help="forced output length")
    args = parser.parse_args()
    from translate.backends.ct2_backend import cpu_cores, tuned_threads

    model = bench_model.build()
    bench_model.use_bench_cache()
    count = args.sentences or (12 if args.quick else 24)
    sentences = unique_sentences(workload_text())[:count]
    cores = cpu_cores()
    pairs = sorted({(1, cores), (cores, 1), tuned_threads(cores)} | {(2, max(cores // 2, 1))})
    batchings = [("examples", 1), ("examples", 4), ("examples", 16), ("tokens", 256)]
    batchings += [("tokens", 512), ("tokens", 1024)]
    batch_sizes = [16, 32]
    if args.quick:
        batchings = [("examples", 4), ("tokens", 512)]
        batch_sizes = [16]
    print(f"{cores} cores; {len(sentences)} sentences, {args.tokens} tokens each, beam 4")
    print(
        f"tuned_threads({cores}) = inter {tuned_threads(cores)[0]}, intra {tuned_threads(cores)[1]}"
    )
    print(f"{'inter':>5} {'intra':>5} {'batch':>5} {'sub-batch':>15} {'sent/s':>7}")
    rows = []
    for inter, intra in pairs:
        for batch_type, size in batchings:
            for batch_size in batch_sizes:
                rate = measure(
                    model,
                    sentences,
                    inter=inter,
                    intra=intra,
                    max_batch_size=size,
                    batch_type=batch_type,
                    batch_size=batch_size,
                    tokens=args.tokens,
                )
                rows.append((rate, inter, intra, batch_size, f"{size} {batch_type}"))
                print(
                    f"{inter:>5} {intra:>5} {batch_size:>5} {size:>6} {batch_type:<8} {rate:7.2f}"
                )
    best = max(rows)
    print(f"fastest: inter {best[1]}, intra {best[2]}, batch {best[3]}, sub-batch {best[4]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
