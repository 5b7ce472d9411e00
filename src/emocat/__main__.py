"""Run the command line with ``python -m emocat``."""

from emocat.cli import main

if __name__ == "__main__":
    main()
