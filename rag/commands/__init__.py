"""The `rag` command's subcommands beyond asking and ingesting, one module per area;
`rag.cli` registers them on its app."""
