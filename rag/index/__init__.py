"""Where articles live once ingested: the Chroma store and registry, BM25, the embedder."""
