"""Run by LibreOffice's Python (a Python with the `uno` module), never imported by reportkit.

    python uno_export.py SOFFICE PROFILE_URL DOCX PDF|- [update|keep]

Opens DOCX in a headless LibreOffice of its own, updates every index unless told to keep them
(the table of contents gets its page numbers and dotted leaders), prints the TOC's entries as JSON lines [text, page] and,
unless PDF is "-", exports the PDF. Bounded: gives up after 120 s of waiting for LibreOffice.
"""

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main() -> int:
    soffice, profile, docx, pdf = sys.argv[1:5]
    update = sys.argv[5:6] != ["keep"]
    pipe = f"reportkit-{os.getpid()}"
    office = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore",
         "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 120
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if office.poll() is not None or time.monotonic() > deadline:
                    print("LibreOffice did not start", file=sys.stderr)
                    return 3
                time.sleep(0.2)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(docx), "_blank", 0,
                                           (prop("Hidden", True), prop("ReadOnly", False)))
        entries = []
        indexes = doc.getDocumentIndexes()
        for _ in range(2 if update else 0):  # the second pass counts the TOC's own pages
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
        for i in range(indexes.getCount()):
            index = indexes.getByIndex(i)
            if index.supportsService("com.sun.star.text.ContentIndex"):
                for line in index.getAnchor().getString().splitlines():
                    text, tab, page = line.rpartition("\t")
                    if tab:
                        entries.append([text.strip(), page.strip()])
        if pdf != "-":
            doc.storeToURL(uno.systemPathToFileUrl(pdf), (prop("FilterName", "writer_pdf_Export"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
        print(json.dumps(entries, ensure_ascii=False))
        return 0
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    sys.exit(main())
