"""Danish text analysis built only from what every Elasticsearch node has.

The test distribution our CI runs has no `analysis-common` module, so the
built-in `danish` analyzer, `asciifolding` and n-grams are not available.
Production uses this same chain, so what the tests prove is what runs:

- the `standard` tokenizer and `lowercase`;
- `stop` with Elasticsearch's `_danish_` word list;
- `hunspell` with the da_DK dictionary (Debian's `hunspell-da`), which every
  node must carry in `config/hunspell/da_DK/`.
"""

from elasticsearch.dsl import analyzer, token_filter

danish_stop = token_filter("danish_stop", type="stop", stopwords="_danish_")

# `dedup` drops identical stems at one position; Hunspell often offers several.
danish_hunspell = token_filter(
    "danish_hunspell", type="hunspell", locale="da_DK", dedup=True
)

danish = analyzer(
    "danish_hunspell",
    tokenizer="standard",
    filter=["lowercase", danish_stop, danish_hunspell],
)
