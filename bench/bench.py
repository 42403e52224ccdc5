"""Translation speed: the project's paths against the naive transformers baseline, in one run.

    python bench/bench.py            # full run: 50 sentences, 40 output tokens each (a few minutes)
    python bench/bench.py --quick    # 16 sentences, 24 tokens (well under a minute)
    python bench/bench.py --json     # the same figures as one JSON object on stdout

Model: random weights with the exact architecture of Helsinki-NLP/opus-mt-de-en (74.4M
parameters), built once into bench/.cache (see bench_model.py). Random weights produce arbitrary
output lengths, so every system is forced to generate exactly ``--tokens`` tokens per sentence
(min = max new tokens) and does the same work. Beam size 4 everywhere.

Systems, each measured in its own fresh process, one after the other:
  naive   transformers as the opus-mt model card shows: one ``generate`` call per sentence
  torch   the project's torch backend (Translator, length-sorted batches)
  ct2     the project's CTranslate2 backend (int8, threads tuned for this machine)
  cached  the project's default path translating the same text a second time (cache hits)

CPU only: CUDA is hidden from the measured processes.

Columns: sentences/s; ratio to naive; load = importing the engine and loading the model;
first = seconds from starting the article until the first translated sentence is available
(streaming); peak RSS of the process. Every system translates one short sentence, untimed,
before the article, so that one-time set-up (memory pools, weight packing) is not timed.
Figures vary ±30% on a busy machine: run it when quiet.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

SYSTEMS = ("naive", "torch", "ct2", "cached")
WARM_UP = "Guten Morgen, wie geht es Ihnen?"
"""Translated once, untimed, before measuring (first-call set-up costs), by every system."""
GOAL_DEFAULT = 12.0
GOAL_CACHED = 100.0
DESCRIPTIONS = {
    "naive": "transformers generate() per sentence",
    "torch": "project torch backend (float32)",
    "ct2": "project ct2 backend (int8)",
    "cached": "default path, same text again",
}


def _peak_rss_mb() -> float:
    """This process's peak resident memory.

    On Linux from VmHWM: ``ru_maxrss`` of a freshly started process still holds the peak of the
    parent it was spawned from (the high-water mark survives exec), which here is the process
    that built the model.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes / KiB


def _child(system: str, model: str, text: str, tokens: int) -> dict[str, Any]:
    """Measure one system in this (fresh) process."""
    started = time.perf_counter()
    if system == "naive":
        from transformers import MarianMTModel, MarianTokenizer

        tokenizer = MarianTokenizer.from_pretrained(model)
        marian = MarianMTModel.from_pretrained(model)
        loaded = time.perf_counter()

        def naive(sentence: str) -> list[str]:
            batch = tokenizer([sentence], return_tensors="pt", padding=True)
            generated = marian.generate(**batch, min_new_tokens=tokens, max_new_tokens=tokens)
            return list(tokenizer.batch_decode(generated, skip_special_tokens=True))

        naive(WARM_UP)
        sentences = text.split("\n")
        first = None
        begin = time.perf_counter()
        for sentence in sentences:
            naive(sentence)
            first = first or time.perf_counter() - begin
        done = time.perf_counter()
        return {
            "sentences": len(sentences),
            "seconds": done - begin,
            "load_s": loaded - started,
            "first_sentence_s": first,
            "peak_rss_mb": _peak_rss_mb(),
            "settings": "num_beams 4 (model default), torch threads default",
        }

    from translate import Translator

    options: dict[str, Any] = {"min_new_tokens": tokens, "max_new_tokens": tokens}
    if system in ("torch", "ct2"):
        translator = Translator(model, backend=system, cache=False, **options)
    else:
        from translate.cache import default_cache

        default_cache().clear()  # so that the first pass really translates
        translator = Translator(model, **options)  # the default path: default backend + cache
    backend = translator.backend
    loaded = time.perf_counter()
    translator.translate_document(WARM_UP)  # also loads the sentence splitter
    if system == "cached":
        cold = time.perf_counter()
        translator.translate_document(text)  # fills the cache; the second pass is measured
        cold = time.perf_counter() - cold
    first = None
    begin = time.perf_counter()
    for progress in translator.translate_iter(text):
        if first is None and progress.done:
            first = time.perf_counter() - begin
        last = progress
    done = time.perf_counter()
    result: dict[str, Any] = {
        "sentences": len({s.source for s in last.document.sentences}),
        "seconds": done - begin,
        "peak_rss_mb": _peak_rss_mb(),
        "backend": backend.name,
    }
    result["load_s"] = loaded - started
    result["first_sentence_s"] = first
    if system == "cached":
        result["first_translation_s"] = cold
    if backend.name == "ct2":
        result["settings"] = (
            f"{getattr(backend, 'compute_type', '?')}, inter_threads "
            f"{getattr(backend, 'inter_threads', '?')} × intra_threads "
            f"{getattr(backend, 'intra_threads', '?')}, "
            f"{getattr(backend, 'sub_batches_per_replica', '?')} sub-batch(es) per replica, "
            f"batch_size {translator.batch_size}"
        )
    elif system == "torch":
        result["settings"] = f"float32, batch_size {translator.batch_size}"
    return result


def _run_child(system: str, model: Path, text: str, tokens: int) -> dict[str, Any]:
    # CPU only: a GPU would make the ct2 rows incomparable with the torch CPU baseline.
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "CUDA_VISIBLE_DEVICES": ""}
    command = [sys.executable, __file__, "--child", system, "--model", str(model)]
    command += ["--tokens", str(tokens)]
    process = subprocess.run(
        command, input=text, capture_output=True, text=True, env=env, check=False
    )
    if process.returncode != 0:
        raise RuntimeError(f"measuring {system} failed:\n{process.stderr[-3000:]}")
    return dict(json.loads(process.stdout.strip().splitlines()[-1]))


def _prepare(quick: bool, count: int | None) -> tuple[Path, list[str], dict[str, Any]]:
    """Build the model, convert it for ct2 (untimed, once), pick the sentences."""
    import bench_model
    from workload import unique_sentences, workload_text

    notes: dict[str, Any] = {}
    model = bench_model.build(log=True)
    cache_dir = bench_model.use_bench_cache()
    notes["parameters"] = bench_model.parameter_count(model)
    sentences = unique_sentences(workload_text())
    wanted = count or (16 if quick else len(sentences))
    if wanted < len(sentences):
        # Every k-th sentence, so a short run still mixes headlines and long sentences.
        step = len(sentences) / wanted
        sentences = [sentences[int(i * step)] for i in range(wanted)]
    try:
        from translate.backends import auto_backend
        from translate.backends.ct2_convert import MARKER, ensure_converted
        from translate.registry import resolve_model

        notes["default_backend"] = auto_backend()
        started = time.perf_counter()
        began = time.time()
        conversion = ensure_converted(resolve_model(str(model)), cache_dir / "ct2", "int8")
        if (conversion.folder / MARKER).stat().st_mtime >= began:
            notes["ct2_conversion_s"] = round(time.perf_counter() - started, 1)
        notes["ct2_model"] = str(conversion.folder)
    except ImportError:
        notes["default_backend"] = "torch"
        notes["ct2_missing"] = True
    return model, sentences, notes


def _table(report: dict[str, Any]) -> str:
    work = report["workload"]
    lines = [
        f"Bilingual Reader speed — {work['sentences']} sentences, beam 4, "
        f"{work['tokens']} output tokens each (forced), {report['machine']['cores']} CPU cores",
        f"model: random weights, opus-mt-de-en architecture "
        f"({report['notes']['parameters'] / 1e6:.1f}M parameters)",
        "",
        f"{'system':<7} {'what':<36} {'sent/s':>7} {'× naive':>8} {'load s':>7} "
        f"{'first s':>8} {'peak RSS MB':>12}",
    ]

    def number(value: float | None, digits: int) -> str:
        return "—" if value is None else f"{value:.{digits}f}"

    for name, row in report["systems"].items():
        what = DESCRIPTIONS[name]
        lines.append(
            f"{name:<7} {what:<36} {number(row['sent_per_s'], 2):>7} "
            f"{number(row['ratio_to_naive'], 1):>8} {number(row.get('load_s'), 1):>7} "
            f"{number(row.get('first_sentence_s'), 2):>8} {number(row['peak_rss_mb'], 0):>12}"
        )
    lines.append("")
    for name, row in report["systems"].items():
        if row.get("settings"):
            lines.append(f"  {name}: {row['settings']}")
    notes = report["notes"]
    if "ct2_conversion_s" in notes:
        lines.append(
            f"  ct2: converted in {notes['ct2_conversion_s']} s (once per model, not timed above)"
        )
    elif "ct2_model" in notes:
        lines.append(f"  ct2: conversion reused from {notes['ct2_model']}")
    cached = report["systems"].get("cached")
    if cached and "first_translation_s" in cached:
        lines.append(
            f"  cached: the first pass of the same text took {cached['first_translation_s']:.1f} s"
            f" in that process; the row shows the second"
        )
    lines.append("")
    default = report["default"]
    systems = report["systems"]
    quick = report.get("quick")

    def verdict(ratio: float, goal: float) -> str:
        if quick:
            return f"(the ≥ {goal:.0f}× goal is for the full run, without --quick)"
        return f"— {'meets' if ratio >= goal else 'BELOW'} the goal of ≥ {goal:.0f}×"

    if default in systems and "naive" in systems:
        ratio = systems[default]["ratio_to_naive"]
        lines.append(f"default path = {default}: {ratio:.1f}× naive {verdict(ratio, GOAL_DEFAULT)}")
    if "cached" in systems and "naive" in systems:
        ratio = systems["cached"]["ratio_to_naive"]
        lines.append(f"cached re-translation: {ratio:.0f}× naive {verdict(ratio, GOAL_CACHED)}")
    if quick:
        lines.append(
            f"--quick: {work['sentences']} sentences × {work['tokens']} tokens, a rough check; "
            "the goals are for the full run"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="16 sentences, 24 tokens")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--sentences", type=int, help="how many sentences (default 50; quick 16)")
    parser.add_argument("--tokens", type=int, help="forced output length (default 40; quick 24)")
    parser.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help="comma-separated subset of " + ", ".join(SYSTEMS),
    )
    parser.add_argument("--child", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args()
    tokens = args.tokens or (24 if args.quick else 40)
    if args.child:
        print(json.dumps(_child(args.child, args.model, sys.stdin.read(), tokens)))
        return 0

    log = sys.stderr if args.json else sys.stdout
    systems = [name.strip() for name in args.systems.split(",") if name.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown system(s): {', '.join(sorted(unknown))}")
    model, sentences, notes = _prepare(args.quick, args.sentences)
    if notes.get("ct2_missing"):
        print("ctranslate2 is not installed: skipping ct2 (pip install -e '.[ct2]')", file=log)
        systems = [name for name in systems if name != "ct2"]
    text = "\n".join(sentences)  # one sentence per line: segmenting gives back exactly these
    measured: dict[str, dict[str, Any]] = {}
    for system in systems:
        print(f"measuring {system} ...", file=log, flush=True)
        measured[system] = _run_child(system, model, text, tokens)
        if measured[system]["sentences"] != len(sentences):
            raise RuntimeError(f"{system} translated {measured[system]['sentences']} sentences")
    naive_rate = None
    if "naive" in measured:
        naive_rate = measured["naive"]["sentences"] / measured["naive"]["seconds"]
    rows: dict[str, dict[str, Any]] = {}
    for system, raw in measured.items():
        rate = raw["sentences"] / raw["seconds"]
        row: dict[str, Any] = {
            "sent_per_s": round(rate, 3),
            "ratio_to_naive": round(rate / naive_rate, 2) if naive_rate else None,
            "peak_rss_mb": round(raw["peak_rss_mb"], 1),
        }
        for key in ("load_s", "first_sentence_s", "first_translation_s"):
            if raw.get(key) is not None:
                row[key] = round(raw[key], 3)
        for key in ("backend", "settings"):
            if key in raw:
                row[key] = raw[key]
        rows[system] = row
    default = rows.get("cached", {}).get("backend") or notes.get("default_backend", "torch")
    report = {
        "systems": rows,
        "default": default,
        "workload": {"sentences": len(sentences), "tokens": tokens, "num_beams": 4},
        "machine": {
            "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
        },
        "notes": notes,
        "quick": args.quick,
    }
    print(json.dumps(report, indent=1) if args.json else _table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
