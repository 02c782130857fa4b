"""Kunskapsbanken's application layer.

`engine.Engine` is the library facade (search, answers, documents), `settings`
the one configuration object and `pipeline` ingestion + indexing as the library
runs them. The subpackages stand on that facade: `qa/` answers questions,
`web/` is the Flask app and JSON API, `cli/` the `kb` command, `measure/`
evaluation and benchmarks.
"""
