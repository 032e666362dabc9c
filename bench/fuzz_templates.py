"""Fuzz `reportkit build` and `reportkit check` with broken Word templates and count internal errors.

    python bench/fuzz_templates.py [--cases 120] [--seed 7] [--reportkit reportkit]

Each case takes the shipped template and breaks it one way (a part dropped, cut short, bytes
flipped, replaced by garbage; a relationship or content type changed; a docxtpl tag added to
the cover), puts it in a copy of the example as reportkit.yaml's template, and runs build and
check. Every run must end with exit 0, 1 or 2 and no internal error (内部错误) or traceback;
the others are printed. tests/test_bad_templates.py holds a fixed set of the same breakages.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TAGS = ["{{", "{%p if %}", "{{p toc }}", "{%tr for x in blocks %}", "{{ title|length }}", "\x01", "{%- -%}",
        "{#", "{{p block.body }}{{p block.body }}", "{% colspan 2 %}", '{% cellbg "red" %}', "{% vm %}",
        "{% hm %}", "{{r title }}"]


def template_entries() -> dict[str, bytes]:
    with zipfile.ZipFile(REPO / "templates" / "report.docx") as z:
        return {name: z.read(name) for name in z.namelist()}


def mutate(entries: dict[str, bytes], rng: random.Random) -> str:
    """Break `entries` one way; returns what was done."""
    kind = rng.choice(["drop", "cut", "flip", "garbage", "rels", "content-type", "tag"])
    name = rng.choice(sorted(entries))
    if kind == "drop":
        del entries[name]
    elif kind == "cut":
        entries[name] = entries[name][: rng.randrange(len(entries[name]) + 1)]
    elif kind == "flip":
        data = bytearray(entries[name])
        for _ in range(rng.randint(1, 5)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        entries[name] = bytes(data)
    elif kind == "garbage":
        entries[name] = os.urandom(rng.randint(0, 50))
    elif kind == "rels":
        name = rng.choice([n for n in entries if n.endswith(".rels")])
        text = entries[name].decode()
        text = rng.choice([text.replace('Target="', 'Target="../', 1),
                           text.replace('Target="', 'TargetMode="External" Target="', 1),
                           text.replace("styles.xml", "nostyles.xml"), text.replace("footer1.xml", "document.xml"),
                           text.replace('Type="', 'Type="x', 1)])
        entries[name] = text.encode()
    elif kind == "content-type":
        name = "[Content_Types].xml"
        text = entries[name].decode()
        text = rng.choice([text.replace("document.main+xml", "template.main+xml"),
                           text.replace('PartName="/word/footer1.xml"', 'PartName="/word/x.xml"'),
                           text.replace('Extension="xml"', 'Extension="xm"'), text.replace("footer+xml", "header+xml")])
        entries[name] = text.encode()
    else:
        name = "word/document.xml"
        tag = rng.choice(TAGS)
        entries[name] = entries[name].decode().replace("{{ title }}", "{{ title }}" + tag, 1).encode()
        return f"tag {tag!r}"
    return f"{kind} {name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reportkit", default="reportkit", help="reportkit 命令（默认：PATH 中的）")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    wrong = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in range(args.cases):
            entries = template_entries()
            what = mutate(entries, rng)
            work = Path(tmp) / f"case{case}"
            shutil.copytree(REPO / "content", work / "content")
            with zipfile.ZipFile(work / "模板.docx", "w") as z:
                for name, blob in entries.items():
                    z.writestr(name, blob)
            (work / "reportkit.yaml").write_text("template: 模板.docx\n", encoding="utf-8")
            for command in ("build", "check"):
                run = subprocess.run([args.reportkit, command], cwd=work, capture_output=True, text=True,
                                     timeout=120, env={**os.environ, "XDG_CACHE_HOME": tmp})
                if run.returncode not in (0, 1, 2) or "内部错误" in run.stderr or "Traceback" in run.stderr:
                    wrong += 1
                    print(f"第 {case} 例（{what}）{command}：退出码 {run.returncode}，{run.stderr.strip()[-300:]}")
            shutil.rmtree(work)
    print(f"{args.cases} 个损坏的模板，build 与 check 各一次：{wrong} 次内部错误或退出码不对")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
