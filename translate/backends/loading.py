"""Finding model files and turning loader failures into messages a user can act on."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from ..errors import ModelLoadError
from ..registry import ModelSpec

MARIAN_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")

_WHAT_TO_DO = (
    "Connect to the internet once so it can be downloaded into the Hugging Face cache "
    "(`bilingual-reader download {name}`), or point TRANSLATE_MODEL or models.yaml at a folder "
    "that holds the downloaded model (with HF_HUB_OFFLINE=1 for offline use)."
)


def check_local_model(spec: ModelSpec) -> None:
    """Raise :class:`ModelLoadError` unless ``spec.model`` is a complete MarianMT folder."""
    folder = Path(spec.model)
    if not folder.is_dir():
        raise ModelLoadError(
            f"model folder {folder} does not exist (model {spec.name!r}). Check the path in "
            "TRANSLATE_MODEL or models.yaml, or use a Hugging Face id such as "
            "'Helsinki-NLP/opus-mt-de-en'."
        )
    missing = [name for name in MARIAN_FILES if not (folder / name).is_file()]
    if not any((folder / name).is_file() for name in WEIGHT_FILES):
        missing.append(" or ".join(WEIGHT_FILES))
    if missing:
        raise ModelLoadError(
            f"model folder {folder} is missing {', '.join(missing)} (model {spec.name!r}). "
            "A MarianMT folder is what `save_pretrained` writes for both the model and its "
            "tokenizer; download it again or fix the path."
        )


HUB_PROBE_TIMEOUT_S = 3.0


def check_downloadable(spec: ModelSpec) -> None:
    """Fail fast, before any engine import, when a model must be downloaded but cannot be.

    A model in the Hugging Face cache passes. Otherwise, with HF_HUB_OFFLINE set, or when the
    Hub's host does not accept a connection within a few seconds, this raises at once instead
    of letting the download retry for half a minute.

    Raises:
        ModelLoadError: the model is not cached and the Hub cannot be reached.
    """
    if spec.is_local or hub_cache_commit(spec):
        return
    reason = "offline mode (HF_HUB_OFFLINE is set)" if _offline() else _hub_unreachable()
    if reason is None:
        return
    raise ModelLoadError(
        f"model {spec.model!r} is not in the local Hugging Face cache and cannot be "
        f"downloaded: {reason}. " + _WHAT_TO_DO.format(name=spec.name)
    )


def _hub_unreachable() -> str | None:
    """Why the Hub's host cannot be reached, or None when it accepts a connection."""
    import socket
    from urllib.parse import urlsplit

    from huggingface_hub import constants

    url = urlsplit(constants.ENDPOINT)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "", port), timeout=HUB_PROBE_TIMEOUT_S):
            return None
    except OSError as exc:
        return f"no connection to the Hub ({url.hostname}: {exc.strerror or exc})"


def hub_cache_commit(spec: ModelSpec) -> str | None:
    """The commit of ``spec``'s snapshot in the local Hugging Face cache, or None.

    A model found here is loaded with ``local_files_only``: after the one download the user
    asked for, using a model makes no network request (no update checks that, without a
    connection, retry for minutes). ``bilingual-reader download`` fetches updates.
    """
    if spec.is_local:
        return None
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(spec.model, "config.json", revision=spec.revision)
    return Path(found).parent.name if isinstance(found, str) else None


def _offline() -> bool:
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE) or os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0")


def load_error(spec: ModelSpec, exc: BaseException) -> ModelLoadError:
    """A :class:`ModelLoadError` that says which model failed, why, and what to do."""
    from huggingface_hub.errors import (
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    text = " ".join(str(e) for e in chain)
    todo = _WHAT_TO_DO.format(name=spec.name)
    if spec.is_local:
        return ModelLoadError(f"model folder {spec.model} could not be read: {exc}")
    if any(isinstance(e, RevisionNotFoundError) for e in chain):
        return ModelLoadError(f"model {spec.model!r} has no revision {spec.revision!r} on the Hub.")
    if any(isinstance(e, RepositoryNotFoundError) for e in chain) or (
        ("is not a valid model identifier" in text or "not a local folder and is not" in text)
        and not _offline()
    ):
        return ModelLoadError(
            f"model {spec.model!r} was not found on the Hugging Face Hub. Check the id "
            "(e.g. 'Helsinki-NLP/opus-mt-de-en') or use a key from models.yaml."
        )
    if (
        _offline()
        or any(isinstance(e, LocalEntryNotFoundError) for e in chain)
        or ("couldn't connect" in text.lower())
    ):
        mode = "offline mode (HF_HUB_OFFLINE is set)" if _offline() else "no connection to the Hub"
        return ModelLoadError(
            f"model {spec.model!r} is not in the local Hugging Face cache and cannot be "
            f"downloaded: {mode}. {todo}"
        )
    return ModelLoadError(f"model {spec.model!r} could not be loaded: {exc}. {todo}")


def model_fingerprint(spec: ModelSpec, revision: str | None) -> dict[str, str]:
    """Identity of the model's weights: HF id + revision, or a local folder's content hash."""
    if spec.is_local:
        return {"model": spec.model, "revision": "sha256:" + folder_hash(spec.model)}
    return {"model": spec.model, "revision": revision or spec.revision or "unknown"}


@lru_cache(maxsize=16)
def _hash_files(entries: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for path, _size, _mtime in entries:
        digest.update(Path(path).name.encode())
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def folder_hash(folder: str) -> str:
    """Content hash of a model folder (memoised on file names, sizes and mtimes)."""
    entries = tuple(
        (str(p), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(Path(folder).iterdir())
        if p.is_file()
    )
    return _hash_files(entries)
