#!/usr/bin/env python3
"""Tiny WebDAV multistatus reader for the conformance shell scripts (stdlib only).

    davxml.py hrefs COLLECTION_URL < multistatus.xml
        prints the href of every response except the collection itself, one per line.
    davxml.py props < multistatus.xml
        prints "HREF<TAB>STATUS<TAB>{ns}name<TAB>text" for every property of every propstat.

Exits 3 when the input is not a DAV:multistatus document, printing what it got, so
that a 404/405/500 answer is reported instead of being read as an empty collection.
"""

import sys
import urllib.parse
import xml.etree.ElementTree as ET

DAV = "{DAV:}"


def parse(data: bytes) -> ET.Element:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        sys.stderr.write(f"not XML ({e}): {data[:400]!r}\n")
        sys.exit(3)
    if root.tag != DAV + "multistatus":
        sys.stderr.write(f"not a DAV:multistatus: {data[:400]!r}\n")
        sys.exit(3)
    return root


def main() -> None:
    mode = sys.argv[1]
    root = parse(sys.stdin.buffer.read())
    if mode == "hrefs":
        own = urllib.parse.unquote(urllib.parse.urlsplit(sys.argv[2]).path).rstrip("/")
        for resp in root.findall(DAV + "response"):
            href = (resp.findtext(DAV + "href") or "").strip()
            path = urllib.parse.unquote(urllib.parse.urlsplit(href).path).rstrip("/")
            if path != own:
                print(href)
    elif mode == "props":
        for resp in root.findall(DAV + "response"):
            href = (resp.findtext(DAV + "href") or "").strip()
            for ps in resp.findall(DAV + "propstat"):
                status = (ps.findtext(DAV + "status") or "").strip()
                for prop in ps.find(DAV + "prop") or []:
                    text = "".join(prop.itertext()).strip()
                    print(f"{href}\t{status}\t{prop.tag}\t{text}")
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
