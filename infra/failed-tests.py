#!/usr/bin/env python3
"""Prints each failed test of the given .trx files with the start of its error and the end of its output.

The tail of a CI log is often all one gets to see: the reason a test failed belongs there, next to its name.
"""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def lines(text, first=None, last=None):
    kept = [line.rstrip() for line in (text or "").strip().splitlines() if line.strip()]
    if first is not None:
        kept = kept[:first]
    if last is not None:
        kept = kept[-last:]
    return [line if len(line) <= 400 else line[:400] + " …" for line in kept]


for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        print(f"  ({path}: {error})")
        continue
    for result in root.iterfind(".//t:UnitTestResult[@outcome='Failed']", NS):
        print(f"  - {result.get('testName')}")
        output = result.find("t:Output", NS)
        if output is None:
            continue
        message = output.findtext("t:ErrorInfo/t:Message", default="", namespaces=NS)
        stack = output.findtext("t:ErrorInfo/t:StackTrace", default="", namespaces=NS)
        stdout = output.findtext("t:StdOut", default="", namespaces=NS)
        for line in lines(message, first=6):
            print(f"      {line}")
        for line in lines(stack, first=2):
            print(f"      {line.strip()}")
        tail = lines(stdout, last=3)
        if tail:
            print("      output:")
            for line in tail:
                print(f"        {line}")
