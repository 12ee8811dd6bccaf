"""book: an Arabic-first publisher.

Stages, each a module of its own:
  load    (sources.py)   book.toml + chapters/*.md  ->  model.Book
  render  (pdf.py, epub.py)  model.Book  ->  dist/<slug>.pdf, dist/<slug>.epub
  run     (build.py, cli.py) editions, report, command line
"""

__version__ = "0.1.0"
