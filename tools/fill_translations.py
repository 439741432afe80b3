#!/usr/bin/env python3
"""Fills client/desktop/i18n/*.ts from a dictionary (English -> Dutch).

Used once per batch of new strings by a developer: `ninja update_translations`
adds the new source texts, this script fills in the ones the dictionary
holds (a finished Dutch translation already in the file is kept when the
dictionary does not name it), and tests/desktop/translations_test.cpp fails
on any it left unfinished.
Usage: fill_translations.py NL_DICT.py TS_NL TS_EN
"""
import runpy
import sys
import xml.etree.ElementTree as ET


def english_plural(source):
    singular = source.replace("(s)", "")
    plural = source.replace("(s)", "s")
    return [singular, plural]


def finished(translation):
    """The finished translation held, or None."""
    if translation is None or translation.get("type") in ("unfinished",
                                                           "vanished",
                                                           "obsolete"):
        return None
    forms = [f.text for f in translation.findall("numerusform")]
    if forms:
        return forms if all(forms) else None
    return translation.text or None


def fill(path, translate):
    tree = ET.parse(path)
    missing = []
    for message in tree.getroot().iter("message"):
        source = message.find("source").text
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        value = translate(source, message.get("numerus") == "yes")
        if value is None:
            value = finished(translation)
        if value is None:
            missing.append(source)
            continue
        for child in list(translation):
            translation.remove(child)
        translation.attrib.pop("type", None)
        if isinstance(value, list):
            translation.text = None
            for form in value:
                ET.SubElement(translation, "numerusform").text = form
        else:
            translation.text = value
    tree.write(path, encoding="utf-8", xml_declaration=True)
    with open(path, "r+", encoding="utf-8") as f:
        text = f.read()
        if "<!DOCTYPE TS>" not in text:
            text = text.replace("?>\n", "?>\n<!DOCTYPE TS>\n", 1)
        f.seek(0)
        f.write(text)
        f.truncate()
    return missing


def main():
    nl = runpy.run_path(sys.argv[1])["NL"]
    missing = fill(sys.argv[2], lambda s, numerus: nl.get(s))
    missing += fill(
        sys.argv[3],
        lambda s, numerus: english_plural(s) if numerus else s)
    for m in missing:
        print("no translation:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
