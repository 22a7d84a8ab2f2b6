"""The Markdown body as a flat list of top-level blocks, the shape agendas and codebooks share.

markdown-it's token stream is exact but awkward to walk; the parsers only need headings,
paragraphs, list items (nesting flattened) and "anything else" kept as source text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

BlockKind = Literal["heading", "paragraph", "list", "other"]

_LISTS = ("bullet_list_open", "ordered_list_open")


@dataclass(frozen=True)
class ListItem:
    text: str
    line: int  # 0-based line in the body
    # The item's lines (each stripped, blank ones dropped): where a line break counts,
    # as in a code's description.
    lines: str = ""


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    line: int  # 0-based line in the body
    text: str = ""
    level: int = 0
    items: tuple[ListItem, ...] = ()


def one_line(text: str) -> str:
    """Inline source as one line: a prompt or a code label that wraps in the file is one text."""
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


def parse_blocks(body: str) -> list[Block]:
    tokens = MarkdownIt("commonmark").parse(body)
    lines = body.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.level != 0 or token.nesting == -1:
            i += 1
            continue
        line = token.map[0] if token.map else 0
        end = _close_index(tokens, i)
        if token.type == "heading_open":
            blocks.append(Block("heading", line, _inline(tokens, i), level=int(token.tag[1:])))
        elif token.type == "paragraph_open":
            blocks.append(Block("paragraph", line, _inline(tokens, i)))
        elif token.type in _LISTS:
            blocks.append(Block("list", line, items=_items(tokens[i + 1 : end])))
        else:
            last = token.map[1] if token.map else line + 1
            blocks.append(Block("other", line, "\n".join(lines[line:last]).rstrip()))
        i = end + 1
    return blocks


def _close_index(tokens: list[Token], start: int) -> int:
    """Index of the token that closes ``tokens[start]``; itself when it is a leaf."""
    if tokens[start].nesting != 1:
        return start
    for j in range(start + 1, len(tokens)):
        # Everything inside a level-0 container has a level above 0.
        if tokens[j].level == 0 and tokens[j].nesting == -1:
            return j
    return len(tokens) - 1


def _inline(tokens: list[Token], start: int) -> str:
    nxt = tokens[start + 1] if start + 1 < len(tokens) else None
    return nxt.content.strip() if nxt is not None and nxt.type == "inline" else ""


def _lines(text: str) -> str:
    return "\n".join(part.strip() for part in text.split("\n") if part.strip())


def _items(tokens: list[Token]) -> tuple[ListItem, ...]:
    """Every list item at any depth, parents before their children, in file order."""
    texts: list[list[str]] = []
    starts: list[int] = []
    stack: list[int] = []
    for token in tokens:
        if token.type == "list_item_open":
            stack.append(len(texts))
            texts.append([])
            starts.append(token.map[0] if token.map else 0)
        elif token.type == "list_item_close" and stack:
            stack.pop()
        elif token.type == "inline" and stack:
            texts[stack[-1]].append(token.content)
    pairs = zip(texts, starts, strict=True)
    items = (
        ListItem(one_line(" ".join(parts)), start, _lines("\n".join(parts)))
        for parts, start in pairs
    )
    return tuple(item for item in items if item.text)
