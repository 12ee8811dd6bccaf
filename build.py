#!/usr/bin/env python3
"""Build the book: `python build.py` makes every edition of the default book in dist/.

The same as the `book` command; see `python build.py --help`.
"""

import sys

from book.cli import main

if __name__ == "__main__":
    sys.exit(main())
