"""The embedding cache: one vector per (encoder id, text hash), kept across builds."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

import numpy as np

# SQLite accepts up to 32766 bound variables since 3.32; stay well below.
_CHUNK = 900


class EmbeddingCache:
    """Methods of :class:`tracer.store.Store` over the ``embeddings`` table."""

    conn: sqlite3.Connection

    def transaction(self):  # pragma: no cover - provided by Store
        raise NotImplementedError

    def missing_embeddings(self, encoder_id: str) -> list[tuple[str, str]]:
        """Distinct segment texts with no cached vector for this encoder,
        as ``(text_hash, text)``, in order of first appearance."""
        rows = self.conn.execute(
            """SELECT s.text_hash, s.text, min(s.id) AS first FROM segments s
               WHERE NOT EXISTS (SELECT 1 FROM embeddings e
                                 WHERE e.encoder_id = ? AND e.text_hash = s.text_hash)
               GROUP BY s.text_hash ORDER BY first""",
            (encoder_id,),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def embedding_dim(self, encoder_id: str) -> int | None:
        """Dimension of the vectors cached for this encoder, None if none are."""
        row = self.conn.execute(
            "SELECT length(vector) FROM embeddings WHERE encoder_id = ? LIMIT 1", (encoder_id,)
        ).fetchone()
        return row[0] // 4 if row else None

    def put_embeddings(self, encoder_id: str, hashes: Sequence[str], vectors: np.ndarray) -> None:
        """Cache one float32 vector per text hash (replacing older ones)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(vectors) != len(hashes):
            raise ValueError(f"expected {len(hashes)} vectors, got an array of shape {vectors.shape}")
        if not len(hashes):
            return
        dim = self.embedding_dim(encoder_id)
        if dim is not None and dim != vectors.shape[1]:
            raise ValueError(
                f"encoder {encoder_id!r} has {dim}-dim vectors cached, got {vectors.shape[1]}-dim ones"
            )
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings(encoder_id, text_hash, vector) VALUES (?, ?, ?)",
                ((encoder_id, h, v.tobytes()) for h, v in zip(hashes, vectors)),
            )

    def get_embeddings(self, encoder_id: str, hashes: Sequence[str]) -> np.ndarray:
        """Cached vectors, one row per hash in the order given.
        Raises ``KeyError`` naming the first hash that has no vector."""
        dim = self.embedding_dim(encoder_id)
        if dim is None:
            if hashes:
                raise KeyError(hashes[0])
            return np.zeros((0, 0), dtype=np.float32)
        out = np.empty((len(hashes), dim), dtype=np.float32)
        pos: dict[str, list[int]] = {}
        for i, h in enumerate(hashes):
            pos.setdefault(h, []).append(i)
        unique = list(pos)
        found: set[str] = set()
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            rows = self.conn.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE encoder_id = ? "
                f"AND text_hash IN ({', '.join('?' * len(chunk))})",
                (encoder_id, *chunk),
            )
            for h, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] != dim:
                    raise ValueError(f"cached vector {h} of {encoder_id!r} has {vec.shape[0]} dims, not {dim}")
                out[pos[h]] = vec
                found.add(h)
        if len(found) != len(unique):
            raise KeyError(next(h for h in unique if h not in found))
        return out

    def iter_segment_vectors(
        self, encoder_id: str, batch: int = 10_000
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``(ids int64, vectors float32)`` batches of every segment that has a
        cached vector, in id order: what an index build adds. Segments
        without a vector are skipped (call ``missing_embeddings`` first)."""
        last = -1
        while True:
            rows = self.conn.execute(
                # CROSS JOIN pins segments as the outer loop: otherwise the planner
                # walks embeddings and sorts every page (quadratic; 17 s for 100k).
                """SELECT s.id, e.vector FROM segments s
                   CROSS JOIN embeddings e ON e.encoder_id = ? AND e.text_hash = s.text_hash
                   WHERE s.id > ? ORDER BY s.id LIMIT ?""",
                (encoder_id, last, batch),
            ).fetchall()
            if not rows:
                return
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            vecs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
            yield ids, vecs
            last = rows[-1][0]

    def prune_embeddings(self, encoder_id: str | None = None) -> int:
        """Drop cached vectors whose text no segment has any more (all
        encoders, or one). Returns the number of vectors removed."""
        sql = "DELETE FROM embeddings WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s.text_hash = embeddings.text_hash)"
        args: tuple[str, ...] = ()
        if encoder_id is not None:
            sql += " AND encoder_id = ?"
            args = (encoder_id,)
        with self.transaction() as conn:
            return conn.execute(sql, args).rowcount
