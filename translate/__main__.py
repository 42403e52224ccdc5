"""``python -m translate``: the same command line as ``bilingual-reader``."""

from .cli import main

if __name__ == "__main__":
    main()
