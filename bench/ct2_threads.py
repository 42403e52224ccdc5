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
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_model  # noqa: E402
from workload import unique_sentences, workload_text  # noqa: E402


def load(model: Path, inter: int, intra: int, tokens: int) -> Any:
    """A Translator on the ct2 backend with these thread settings and forced output length."""
    from translate import Translator
    from translate.backends.ct2_backend import CTranslate2Backend

    translator = Translator(
        str(model), backend="ct2", cache=False, min_new_tokens=tokens, max_new_tokens=tokens
    )
    translator._backend = CTranslate2Backend(
        translator.spec, device="cpu", inter_threads=inter, intra_threads=intra
    )
    return translator


def measure(translator: Any, sentences: list[str], *, per_replica: int, batch_size: int) -> float:
    """Sentences per second for one setting."""
    translator.backend.sub_batches_per_replica = per_replica
    translator.batch_size = batch_size
    started = time.perf_counter()
    translator.translate_sentences(sentences)
    return len(sentences) / (time.perf_counter() - started)


def _numbers(text: str) -> list[int]:
    return [int(n) for n in text.split(",")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer settings, one round")
    parser.add_argument("--sentences", type=int, default=24, help="how many sentences")
    parser.add_argument("--tokens", type=int, default=40, help="forced output length")
    parser.add_argument("--rounds", type=int, default=2, help="repeat; the best round counts")
    parser.add_argument("--threads", help="inter x intra pairs, e.g. 2x1,1x2 [default: a grid]")
    parser.add_argument(
        "--per-replica", default="1,2,3,4", help="sub-batches per replica [default: 1,2,3,4]"
    )
    parser.add_argument("--batch-sizes", default="16,32", help="translator batch sizes")
    args = parser.parse_args()
    from translate.backends.ct2_backend import cpu_cores, tuned_threads

    model = bench_model.build()
    bench_model.use_bench_cache()
    sentences = unique_sentences(workload_text())[: args.sentences]
    cores = cpu_cores()
    tuned = tuned_threads(cores)
    threads = sorted({(1, cores), (cores, 1), tuned, (2, max(cores // 2, 1)), (cores, cores)})
    if args.threads:
        threads = [(int(a), int(b)) for a, b in (p.split("x") for p in args.threads.split(","))]
    per_replica = _numbers(args.per_replica)
    batch_sizes = _numbers(args.batch_sizes)
    rounds = args.rounds
    if args.quick:
        threads, per_replica, batch_sizes, rounds = sorted({(1, cores), tuned}), [2], [16], 1
    print(
        f"{cores} cores; {len(sentences)} sentences, {args.tokens} tokens each, beam 4; "
        f"best of {rounds} round(s); tuned_threads({cores}) = {tuned}"
    )
    translators = {pair: load(model, *pair, args.tokens) for pair in threads}
    for translator in translators.values():
        translator.translate_sentences(sentences[:2])  # warm up
    best: dict[tuple[int, int, int, int], float] = {}
    for _ in range(rounds):
        for (inter, intra), translator in translators.items():
            for parts in per_replica:
                for batch_size in batch_sizes:
                    rate = measure(translator, sentences, per_replica=parts, batch_size=batch_size)
                    key = (inter, intra, parts, batch_size)
                    best[key] = max(best.get(key, 0.0), rate)
    print(f"{'inter':>5} {'intra':>5} {'sub-batches/replica':>20} {'batch':>5} {'sent/s':>7}")
    for (inter, intra, parts, batch_size), rate in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"{inter:>5} {intra:>5} {parts:>20} {batch_size:>5} {rate:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
