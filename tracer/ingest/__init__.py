"""Reading sources into Documents: .txt, .md (front matter), .html, .jsonl."""
from .loader import store_documents
from .readers import IngestOptions, check_date, check_kind, check_lang, doc_id_for, read_file, read_paths, split_front_matter

__all__ = ["store_documents", "IngestOptions", "check_date", "check_kind", "check_lang", "doc_id_for", "read_file", "read_paths",
           "split_front_matter"]
