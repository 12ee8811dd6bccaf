"""book: an Arabic-first publisher.

Stages, each a module or package of its own (the README's "How it is built"):
  load        (load/)                     the book folder  ->  model.Book, every file read once
  preprocess  (indexing.py, chronology.py) model.Book      ->  model.Book with its index and chronology
  render      (renderers.py: pdf/, epub.py, preview.py)    ->  the editions, in a stage folder
  run         (build.py, files.py, cli.py)                  ->  published together, reported
"""

__version__ = "0.1.0"
