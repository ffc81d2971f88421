"""Ways to break a real prompt, shared by the ingest fuzz test and its bench script."""

from __future__ import annotations

import random

BORDER_CHARS = "┌┐└┘├┤┬┴┼│─"


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def flip_bytes(data: bytes, rng: random.Random, count: int = 8) -> bytes:
    buf = bytearray(data)
    for _ in range(count):
        if buf:
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
    return bytes(buf)


def delete_border_chars(data: bytes, rng: random.Random, share: float = 0.1) -> bytes:
    text = data.decode("utf-8", errors="surrogateescape")
    out = [c for c in text if c not in BORDER_CHARS or rng.random() > share]
    return "".join(out).encode("utf-8", errors="surrogateescape")


def shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) > 2:
        i, j = sorted(rng.sample(range(len(lines)), 2))
        lines[i:j] = reversed(lines[i:j])
    return b"\n".join(lines)


def drop_lines(data: bytes, rng: random.Random, share: float = 0.05) -> bytes:
    return b"\n".join(line for line in data.split(b"\n") if rng.random() > share)


def toggle_fences(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(3):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice([b"```", b"```mermaid", b"~~~", b"---"]))
    return b"\n".join(lines)


MUTATIONS = [truncate, flip_bytes, delete_border_chars, shuffle_lines, drop_lines, toggle_fences]


def mutate(data: bytes, rng: random.Random, rounds: int = 2) -> bytes:
    for _ in range(rounds):
        data = rng.choice(MUTATIONS)(data, rng)
    return data
