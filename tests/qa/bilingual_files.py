"""Small XLIFF 1.2, XLIFF 2.0 and TMX files for the QA tests (en→ru, en→uk):
in each, one unit changes a figure (250,000 → 350 тысяч) and one is faithful."""
from __future__ import annotations

from pathlib import Path

XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="desertion.txt" source-language="en-US" target-language="ru-RU" datatype="plaintext">
    <body>
      <trans-unit id="s1">
        <source>About 250,000 soldiers have left their units since the war began.</source>
        <target state="translated">С начала войны свои части покинули около 350 тысяч военнослужащих.</target>
      </trans-unit>
      <trans-unit id="s2">
        <source>The parliament passed the bill on <g id="1">Tuesday</g>.</source>
        <target state="translated">Парламент принял законопроект во <g id="1">вторник</g>.</target>
      </trans-unit>
      <trans-unit id="s3">
        <source>Not translated yet.</source>
      </trans-unit>
      <trans-unit id="s4" translate="no">
        <source>NATO</source>
        <target>NATO</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="uk">
  <file id="f1">
    <unit id="u1">
      <segment id="1">
        <source>About 250,000 soldiers have left their units.</source>
        <target>Близько 350 тисяч військових залишили свої частини.</target>
      </segment>
    </unit>
    <unit id="u2">
      <segment>
        <source>The parliament passed the bill <pc id="1">today</pc>.</source>
        <target>Парламент ухвалив законопроєкт <pc id="1">сьогодні</pc>.</target>
      </segment>
    </unit>
  </file>
</xliff>
"""

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="tests" creationtoolversion="1" datatype="plaintext" segtype="sentence"
          adminlang="en" srclang="en" o-tmf="none"/>
  <body>
    <tu tuid="t1">
      <tuv xml:lang="en"><seg>About 250,000 soldiers have left their units.</seg></tuv>
      <tuv xml:lang="ru"><seg>Около 350 тысяч военнослужащих покинули свои части.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en-GB"><seg>The parliament passed the bill.</seg></tuv>
      <tuv xml:lang="ru-RU"><seg>Парламент принял законопроект.</seg></tuv>
    </tu>
  </body>
</tmx>
"""

# The faithful unit of each file and the changed one.
CHANGED = {"xliff12.xlf": "s1", "xliff20.xlf": "u1::1", "memory.tmx": "t1"}
FAITHFUL = {"xliff12.xlf": "s2", "xliff20.xlf": "u2", "memory.tmx": "2"}


def write_files(folder: Path) -> dict[str, Path]:
    """The three files in ``folder``, by name."""
    out = {}
    for name, text in (("xliff12.xlf", XLIFF12), ("xliff20.xlf", XLIFF20), ("memory.tmx", TMX)):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out[name] = path
    return out
