"""MarianMT through Hugging Face transformers and PyTorch."""

from __future__ import annotations

import logging
from typing import Any

from ..registry import ModelSpec
from .base import GenerationOptions, Hypothesis
from .loading import check_local_model, hub_cache_commit, load_error, model_fingerprint

logger = logging.getLogger(__name__)


class TorchBackend:
    """Runs a MarianMT model with ``generate`` under ``torch.inference_mode``."""

    name = "torch"

    def __init__(self, spec: ModelSpec, *, threads: int | None = None) -> None:
        """Load the model and tokenizer for ``spec``.

        Raises:
            ModelLoadError: the model cannot be found, downloaded or read.
        """
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        if threads:
            torch.set_num_threads(threads)
        self._torch = torch
        self.spec = spec
        if spec.is_local:
            check_local_model(spec)
        kwargs: dict[str, Any] = {"revision": spec.revision} if spec.revision else {}
        if hub_cache_commit(spec):
            kwargs["local_files_only"] = True
        try:
            self.tokenizer = MarianTokenizer.from_pretrained(spec.model, **kwargs)
            self.model = MarianMTModel.from_pretrained(spec.model, **kwargs)
        except Exception as exc:
            raise load_error(spec, exc) from exc
        self.model.eval()
        config = self.model.config
        self.max_input_tokens = min(spec.max_input_tokens, int(config.max_position_embeddings))
        self._pad_id = int(config.pad_token_id if config.pad_token_id is not None else 0)
        # After a download the snapshot's folder name is the commit, if config does not say.
        self._revision = getattr(config, "_commit_hash", None) or hub_cache_commit(spec)

    def identity(self) -> dict[str, str]:
        """Model id, revision/content hash and engine."""
        return {**model_fingerprint(self.spec, self._revision), "backend": self.name}

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source-token counts, ``</s>`` included."""
        # verbose=False: counting is how we find over-long inputs, which are then split, so
        # transformers' "longer than the maximum ... indexing errors" warning does not apply.
        encoded = self.tokenizer(texts, add_special_tokens=True, verbose=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def translate_batch(self, texts: list[str], options: GenerationOptions) -> list[Hypothesis]:
        """Translate one batch; inputs must already fit :attr:`max_input_tokens`."""
        if not texts:
            return []
        torch = self._torch
        batch = self.tokenizer(texts, return_tensors="pt", padding=True)
        if batch["input_ids"].shape[1] > self.max_input_tokens:
            raise ValueError("input longer than max_input_tokens reached the backend")
        nbest = max(1, options.num_hypotheses)
        beams = max(options.num_beams, nbest)
        with torch.inference_mode():
            output = self.model.generate(
                **batch,
                num_beams=beams,
                num_return_sequences=nbest,
                max_new_tokens=options.max_new_tokens,
                min_new_tokens=options.min_new_tokens or None,
                bad_words_ids=[[self._pad_id]],
                do_sample=False,
                return_dict_in_generate=True,
                output_scores=beams > 1,
            )
        sequences = output.sequences[:, 1:]  # drop the decoder start token
        lengths = (sequences != self._pad_id).sum(dim=1).tolist()
        scores = getattr(output, "sequences_scores", None)
        score_list = scores.tolist() if scores is not None else [None] * len(sequences)
        decoded = self.tokenizer.batch_decode(sequences, skip_special_tokens=True)
        ranked = [
            Hypothesis(text=text.strip(), length=int(length), score=score)
            for text, length, score in zip(decoded, lengths, score_list, strict=True)
        ]
        # generate returns each input's n best one after another, best first.
        results = []
        for start in range(0, len(ranked), nbest):
            best, *rest = ranked[start : start + nbest]
            results.append(
                Hypothesis(best.text, best.length, best.score, alternatives=tuple(rest))
                if rest
                else best
            )
        return results
