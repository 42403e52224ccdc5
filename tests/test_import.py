"""`import translate` is instant and has no side effects."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys, time
started = time.perf_counter()
import translate
elapsed = time.perf_counter() - started
heavy = sorted(m for m in ("torch", "transformers", "somajo", "gradio", "ctranslate2", "yaml")
               if m in sys.modules)
print(json.dumps({"elapsed": elapsed, "heavy": heavy, "all": sorted(translate.__all__)}))
"""


def test_import_is_light_and_touches_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    env.pop("TRANSLATE_CACHE_DIR", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["heavy"] == []
    assert report["elapsed"] < 0.5
    assert "Translator" in report["all"] and "translate" in report["all"]
    assert list(home.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]
