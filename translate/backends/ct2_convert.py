"""Converting a transformers MarianMT model to CTranslate2, once, into the user's cache.

A conversion is keyed by the model's identity (Hugging Face id + commit, or a local folder's
content hash), the weight quantization and the conversion recipe, so a different model or
setting never reuses a wrong conversion. It is written into a temporary folder that is renamed
into place only when complete, so a half-written conversion (a crash, Ctrl-C, a full disk) is
never used. The tokenizer's SentencePiece files are copied next to ``model.bin``: translating
with a converted model needs neither torch nor transformers, only ``ctranslate2`` and
``sentencepiece``. Converting needs torch and transformers (the base install) once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BackendUnavailableError, ModelLoadError
from ..registry import ModelSpec
from .loading import check_local_model, hub_cache_commit, load_error, model_fingerprint

logger = logging.getLogger(__name__)

RECIPE = 1
"""Bump when the conversion changes, so that older conversions are redone."""
MARKER = "bilingual-reader-conversion.json"
"""Written last; a folder without it is not a finished conversion."""
_STALE_SECONDS = 24 * 3600
"""Temporary folders older than this were left by an interrupted conversion."""


@dataclass(frozen=True)
class Conversion:
    """A finished conversion on disk.

    Attributes:
        folder: the CTranslate2 model folder (``model.bin``, vocabulary, ``source.spm``,
            ``target.spm``).
        fingerprint: the source model's identity (``model`` and ``revision``).
        quantization: the weight type stored in ``model.bin``.
        max_position_embeddings: the longest sequence the model's position table covers.
        pad_token: the decoder-start token, which must never be generated.
    """

    folder: Path
    fingerprint: dict[str, str]
    quantization: str
    max_position_embeddings: int
    pad_token: str | None


def conversion_key(fingerprint: dict[str, str], quantization: str) -> str:
    """A short hash of everything that makes a conversion different."""
    import ctranslate2

    settings = {
        **fingerprint,
        "quantization": quantization,
        "recipe": RECIPE,
        # model.bin is readable by any later release of the same major version.
        "ctranslate2": ctranslate2.__version__.split(".")[0],
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def ensure_converted(spec: ModelSpec, cache_root: Path, quantization: str = "int8") -> Conversion:
    """The CTranslate2 conversion of ``spec``, converting it first if there is none yet.

    Args:
        spec: the transformers model (Hugging Face id or local folder).
        cache_root: the folder that holds conversions (one sub-folder each).
        quantization: the weight type to store (``int8``, ``float32``, ``float16``, ...).

    Raises:
        ModelLoadError: the model cannot be found, downloaded or converted.
        BackendUnavailableError: converting needs torch and transformers, which are missing.
    """
    fingerprint = _fingerprint(spec)
    key = conversion_key(fingerprint, quantization)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(spec.model).name)[:60] or "model"
    final = cache_root / f"{slug}-{quantization}-{key}"
    found = _read_marker(final)
    if found is not None:
        return found
    if final.exists():
        # A folder without the marker was not written by us in one piece: redo it.
        shutil.rmtree(final, ignore_errors=True)
    cache_root.mkdir(parents=True, exist_ok=True)
    _remove_stale(cache_root)
    logger.warning(
        "converting model %s to CTranslate2 (%s) into %s; this happens once and takes "
        "up to a minute",
        spec.model,
        quantization,
        final,
    )
    started = time.monotonic()
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache_root))
    try:
        _convert(spec, fingerprint, staging, quantization)
        try:
            staging.rename(final)
        except OSError:
            # Another process finished the same conversion first; use theirs.
            if _read_marker(final) is None:
                raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    logger.info("converted %s in %.0f s", spec.model, time.monotonic() - started)
    converted = _read_marker(final)
    if converted is None:
        raise ModelLoadError(f"the CTranslate2 conversion in {final} is unreadable; delete it")
    return converted


def _fingerprint(spec: ModelSpec) -> dict[str, str]:
    """The model's identity without loading it (and without torch)."""
    if spec.is_local:
        check_local_model(spec)
        return model_fingerprint(spec, None)
    cached = hub_cache_commit(spec)
    if cached:
        return model_fingerprint(spec, cached)
    # Not cached yet: this fetches config.json and tells the commit the revision points to.
    try:
        from huggingface_hub import hf_hub_download

        config = Path(hf_hub_download(spec.model, "config.json", revision=spec.revision))
    except Exception as exc:
        raise load_error(spec, exc) from exc
    return model_fingerprint(spec, config.parent.name)


def _read_marker(folder: Path) -> Conversion | None:
    try:
        meta = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        needed = ("model.bin", "source.spm", "target.spm")
        if not all((folder / name).is_file() for name in needed):
            return None
        return Conversion(
            folder=folder,
            fingerprint={"model": meta["model"], "revision": meta["revision"]},
            quantization=meta["quantization"],
            max_position_embeddings=int(meta["max_position_embeddings"]),
            pad_token=meta.get("pad_token"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remove_stale(cache_root: Path) -> None:
    now = time.time()
    for leftover in cache_root.glob(".tmp-*"):
        try:
            if now - leftover.stat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass


def _convert(spec: ModelSpec, fingerprint: dict[str, str], out: Path, quantization: str) -> None:
    """Load with transformers, convert, copy the tokenizer files, write the marker last."""
    try:
        import torch  # noqa: F401  (checked here so the error names what is missing)
        from transformers import MarianMTModel, MarianTokenizer
    except ImportError as exc:
        raise BackendUnavailableError(
            f"converting a model for the ct2 backend needs torch and transformers once "
            f"({exc.name} is missing): pip install 'bilingual-reader[ct2]'"
        ) from exc
    kwargs: dict[str, Any] = {}
    if not spec.is_local:
        kwargs["revision"] = fingerprint["revision"]
        if hub_cache_commit(spec):
            kwargs["local_files_only"] = True
    try:
        tokenizer = MarianTokenizer.from_pretrained(spec.model, **kwargs)
        model = MarianMTModel.from_pretrained(spec.model, dtype="float32", **kwargs)
    except Exception as exc:
        raise load_error(spec, exc) from exc
    try:
        _marian_converter(model, tokenizer).convert(str(out), quantization=quantization, force=True)
    except Exception as exc:
        raise ModelLoadError(
            f"model {spec.model!r} could not be converted to CTranslate2: {exc}"
        ) from exc
    source_spm, target_spm = tokenizer.spm_files
    shutil.copyfile(source_spm, out / "source.spm")
    shutil.copyfile(target_spm, out / "target.spm")
    config = model.config
    pad = tokenizer.convert_ids_to_tokens(int(config.decoder_start_token_id))
    meta = {
        **fingerprint,
        "quantization": quantization,
        "recipe": RECIPE,
        "max_position_embeddings": int(config.max_position_embeddings),
        "pad_token": pad,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    (out / MARKER).write_text(json.dumps(meta, indent=1), encoding="utf-8")


def _marian_converter(model: Any, tokenizer: Any) -> Any:
    """A CTranslate2 converter for an already loaded MarianMT model.

    CTranslate2's own Marian loader drops ``<pad>`` and starts the decoder from a zero
    embedding. That equals transformers only when the ``<pad>`` embedding row is zero, as in
    opus-mt; a model trained with tied embeddings (like the test fixture) has a non-zero row, and
    its first output token then differs. Keeping ``<pad>`` as a real start token is exact in both
    cases; the backend forbids generating it, as transformers' ``bad_words_ids`` does.

    Built in a function because importing ``ctranslate2.converters`` imports torch, which
    translating with a converted model must not need.
    """
    import torch
    from ctranslate2.converters.converter import Converter
    from ctranslate2.converters.transformers import BartLoader, MarianMTLoader

    class FaithfulMarianLoader(MarianMTLoader):
        def get_model_spec(self, model: Any) -> Any:
            model.config.normalize_before = False
            model.config.normalize_embedding = False
            return BartLoader.get_model_spec(self, model)

        def set_config(self, config: Any, model: Any, tokenizer: Any) -> None:
            config.eos_token = tokenizer.eos_token
            config.unk_token = tokenizer.unk_token
            config.decoder_start_token = tokenizer.convert_ids_to_tokens(
                int(model.config.decoder_start_token_id)
            )

        def set_decoder(self, spec: Any, decoder: Any) -> None:
            BartLoader.set_decoder(self, spec, decoder)

        def get_vocabulary(self, model: Any, tokenizer: Any) -> Any:
            return BartLoader.get_vocabulary(self, model, tokenizer)

    class LoadedMarianConverter(Converter):
        # ``_load`` is Converter's documented extension point for custom converters.
        def _load(self) -> Any:
            with torch.no_grad():
                return FaithfulMarianLoader()(model, tokenizer)

    return LoadedMarianConverter()
