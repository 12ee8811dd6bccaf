"""Reading PDF objects: names, arrays, number trees, CMaps."""

from __future__ import annotations

import re

import pikepdf


def name_of(value) -> str:
    return str(value)[1:] if isinstance(value, pikepdf.Name) else str(value or "")



def as_list(value) -> list:
    return list(value) if isinstance(value, pikepdf.Array) else [] if value is None else [value]



def number_tree(node, seen=None) -> dict[int, object]:
    """A number tree's entries, from /Nums and /Kids at any depth."""
    seen = set() if seen is None else seen
    if node is None or node.objgen in seen and node.objgen != (0, 0):
        return {}
    seen.add(node.objgen)
    nums = list(node.get("/Nums", []))
    entries = {int(k): v for k, v in zip(nums[::2], nums[1::2])}
    for kid in node.get("/Kids", []):
        entries.update(number_tree(kid, seen))
    return entries



def read_cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's code -> text, from bfchar and both forms of bfrange."""
    text = lambda hexa: bytes.fromhex(hexa.decode()).decode("utf-16-be", "replace")  # noqa: E731
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, dest in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            mapping[int(code, 16)] = text(dest)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, dest in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])", block):
            low, high = int(low, 16), int(high, 16)
            if dest.startswith(b"["):
                mapping.update(zip(range(low, high + 1), map(text, re.findall(rb"<([0-9a-fA-F]*)>", dest))))
            else:
                start = bytes.fromhex(dest[1:-1].decode())
                for offset in range(high - low + 1):  # the last byte counts up
                    last = bytes([start[-1] + offset & 0xFF])
                    mapping[low + offset] = (start[:-1] + last).decode("utf-16-be", "replace")
    return mapping
