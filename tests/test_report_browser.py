"""``lnsym verify --report FILE.html`` for a proved, a refuted (``programs/buggy/aes128_swapped_aesmc.py``, with a
counterexample) and an unknown routine (a loop with a symbolic trip count): the page is self-contained, has no
absolute paths, shows the counterexample and the assumptions as the JSON states them, and, rendered by a real
headless Chromium at 1280x900, is not wider than the window and shows the verdict colours."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from asm_tools import assemble

from lnsym.cli.main import main

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
WIDTH, HEIGHT = 1280, 900
VERDICT_RGB = {"proved": (0x1A, 0x7F, 0x37), "refuted": (0xCF, 0x22, 0x2E), "unknown": (0x9A, 0x67, 0x00)}

LOOP = """
    .text
    .globl count_down
    .type count_down, %function
count_down:
    mov x1, #0
1:  add x1, x1, #3
    subs x0, x0, #1
    b.ne 1b
    mov x0, x1
    ret
    .size count_down, .-count_down
"""

LOOP_CONTRACT = '''
from lnsym.contract import Contract, Inputs, Return, Scalar


def spec(inputs: Inputs) -> dict[str, object]:
    return {"r": inputs["n"] * 3}


CONTRACT = Contract(name="count_down", object="loop.o", symbol="count_down", args=[Scalar("n", 64)],
                    outputs=[Return("r", 64)], spec=spec)
'''


# -- a small DOM: enough to read the report's tables back ------------------------------------------------

VOID = {"meta", "col", "br", "img", "link", "input", "hr", "source", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs = tag, attrs
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else ("\n" if c.tag == "br" else c.text()) for c in self.children)

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        out = []
        for c in self.children:
            if isinstance(c, Node):
                if c.tag == tag and (cls is None or cls in c.attrs.get("class", "").split()):
                    out.append(c)
                out += c.find_all(tag, cls)
        return out


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"  # the page is well nested
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    b = _Builder()
    b.feed(page)
    b.close()
    assert b.stack == [b.root], "unclosed elements"
    return b.root


def rows(table: Node) -> list[list[str]]:
    return [[cell.text().strip() for cell in tr.children if isinstance(cell, Node)] for tr in table.find_all("tr")]


# -- the report ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[dict[str, object]]]:
    folder = tmp_path_factory.mktemp("report")
    assemble(folder, LOOP, "loop.o")
    (folder / "loop.py").write_text(LOOP_CONTRACT)
    out = folder / "r.html"
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        import contextlib
        import io

        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            code = main(["verify", str(PROGRAMS / "crc32c.py"), str(PROGRAMS / "buggy" / "aes128_swapped_aesmc.py"),
                         "loop.py", "--json", "--report", "r.html"])
    finally:
        os.chdir(cwd)
    results = json.loads(stdout.getvalue())
    assert code == 2  # an unknown routine: neither all proved nor only refuted
    assert [r["verdict"] for r in results] == ["proved", "refuted", "unknown"]
    return out, out.read_text(encoding="utf-8"), results


def test_report_is_self_contained_without_absolute_paths(report: tuple[Path, str, list[dict[str, object]]]) -> None:
    path, page, _ = report
    lowered = page.lower()
    for external in ("<script", "<link", "<img", "<iframe", "@import", "url(", "http:", "https:", "src="):
        assert external not in lowered, external
    dom = parse(page)
    texts = [dom.text(), *(v for n in dom.find_all("a") for v in n.attrs.values())]
    for absolute in (str(path.parent), str(Path.home()), str(PROGRAMS)):  # (relative forms ../x are fine)
        assert not any(re.search(r"(?<![\w.~])" + re.escape(absolute), t) for t in texts), absolute
    assert "loop.o" in dom.text() and "../" in dom.text()  # paths are there, relative to the cwd
    for token in re.findall(r"(?<![\w.~/])/[\w.+@-]+(?:/[\w.+@-]+)*", dom.text()):
        assert not os.path.isdir("/" + token.split("/")[1]), f"absolute path in the report: {token}"


def test_report_totals_assumptions_and_counterexample_match_the_json(
    report: tuple[Path, str, list[dict[str, object]]],
) -> None:
    _, page, results = report
    dom = parse(page)
    summary = rows(dom.find_all("table", "summary")[0])
    assert [r[:2] for r in summary[1:4]] == [[str(r["contract"]), str(r["verdict"]).upper()] for r in results]
    assert summary[4][:3] == ["total (3)", "1/3 proved", str(sum(len(r["obligations"]) for r in results))]  # type: ignore[arg-type]
    boxes = dom.find_all("div", "totals")[0].find_all("div")
    cards = {str(d.children[-1]).strip(): d.find_all("b")[0].text() for d in boxes}
    assert (cards["routines"], cards["proved"], cards["refuted"], cards["unknown"]) == ("3", "1", "1", "1")

    sections = dom.find_all("section", "routine")
    assert [s.attrs["class"].split()[1] for s in sections] == [r["verdict"] for r in results]
    for s, r in zip(sections, results):
        assert [li.text() for li in s.find_all("li")] == r["assumptions"]  # paths: none in these
    assert "needs an invariant" in sections[2].find_all("p", "detail")[0].text()

    cx = results[1]["counterexample"]
    assert isinstance(cx, dict)
    inputs = rows(sections[1].find_all("table", "inputs")[0])
    assert inputs[0] == ["input", "value", "address"]
    assert {r[0]: r[1] for r in inputs[1:]} == cx["inputs"]
    assert {r[0]: r[2] for r in inputs[1:] if r[2]} == cx["buffer_addresses"]
    outputs = rows(sections[1].find_all("table", "outputs")[0])
    assert outputs[0] == ["output", "expected (spec)", "actual (symbolic)", "lnsym replay", "Unicorn replay"]
    by_output = {r[0]: r for r in outputs[1:]}
    assert by_output[cx["obligation"]][1:3] == [cx["expected"], cx["symbolic_actual"]]
    for line, uc_line in zip(cx["replay_lnsym"], cx["replay_unicorn"]):
        name, _, rest = line.partition(": expected ")
        expected, _, got = rest.partition(", got ")
        assert by_output[name][1] == expected and by_output[name][3] == got
        assert by_output[name][4] == uc_line.partition(", got ")[2]
    assert len(outputs) - 1 == len(cx["replay_lnsym"])


# -- in a real browser -----------------------------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium to render the report (Debian: apt-get install -y chromium)")


def _browser(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--window-size={WIDTH},{HEIGHT}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


MEASURE = """<script>
for (const d of document.querySelectorAll('details')) d.open = true;  // the obligation tables too
const doc = document.documentElement, tooWide = [];
for (const el of document.body.querySelectorAll('*')) {
  const box = el.getBoundingClientRect();
  if (box.right > doc.clientWidth + 0.5) tooWide.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
}
const out = document.createElement('pre');
out.id = 'layout';
out.textContent = JSON.stringify({inner: window.innerWidth, client: doc.clientWidth, scroll: doc.scrollWidth,
  height: doc.scrollHeight, tooWide: tooWide.slice(0, 10)});
document.body.appendChild(out);
</script>"""


def test_page_is_not_wider_than_a_1280px_window(report: tuple[Path, str, list[dict[str, object]]],
                                               tmp_path: Path) -> None:
    """Laid out by Chromium: no element reaches past the viewport, so the page never scrolls sideways (the
    counterexample's 352-digit round keys among them). The measuring script runs in a copy: the report has none."""
    _, page, _ = report
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = _browser("--dump-dom", probe.as_uri()).stdout
    m = re.search(r'<pre id="layout">(.*?)</pre>', dom, re.S)
    assert m, dom[-500:]
    layout = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert layout["inner"] == WIDTH and WIDTH - 20 <= layout["client"] <= WIDTH, layout
    assert layout["scroll"] <= layout["client"] and layout["tooWide"] == [], layout
    assert layout["height"] > HEIGHT  # three routines: the page is long, only never wide


def _png_rgb(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit RGB or RGBA non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    out: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        prev = line
        out.append(bytes(line) if bpp == 3 else bytes(v for k, v in enumerate(line) if k % 4 != 3))
    return width, height, out


def test_screenshot_shows_the_report_with_verdict_colours(report: tuple[Path, str, list[dict[str, object]]],
                                                         tmp_path: Path) -> None:
    path, _, _ = report
    shot = tmp_path / "shot.png"
    _browser(f"--screenshot={shot}", path.as_uri())
    width, height, pixels = _png_rgb(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    colours = {rgb: 0 for rgb in VERDICT_RGB.values()}
    inked_columns = [0] * width
    for row in pixels:
        for x in range(width):
            rgb = (row[3 * x], row[3 * x + 1], row[3 * x + 2])
            if rgb in colours:
                colours[rgb] += 1
            if sum(rgb) < 600:
                inked_columns[x] += 1
    for verdict, rgb in VERDICT_RGB.items():  # the badges of the summary table, in the first screen
        assert colours[rgb] > 100, (verdict, colours)
    text_columns = [x for x, n in enumerate(inked_columns) if n and x < width - 20]  # past it: the scrollbar
    assert text_columns[0] >= 20 and text_columns[-1] < width - 40, (text_columns[0], text_columns[-1])
    assert text_columns[-1] - text_columns[0] > width // 2  # margins on both sides, content across the page


def test_a_replay_that_did_not_run_is_not_shown_as_agreeing() -> None:
    """When Unicorn cannot replay (a string saying why, not a list of findings), its cells say so."""
    from lnsym.cli.report import _counterexample

    cx = {"obligation": "out[0]", "inputs": {"in": "00ff"}, "expected": "0x1", "symbolic_actual": "0x2",
          "replay_lnsym": ["out[0]: expected 0x1, got 0x2", "out[3]: expected 0x7, got 0x9", "SP not restored"],
          "replay_unicorn": "run failed: UC_ERR_FETCH_UNMAPPED", "replays": True}
    dom = parse("<div>" + _counterexample(cx) + "</div>")
    table = rows(dom.find_all("table", "outputs")[0])
    assert table[1] == ["out[0]", "0x1", "0x2", "0x2", "not replayed"]
    assert table[2] == ["out[3]", "0x7", "-", "0x9", "not replayed"]
    assert table[3] == ["other", "", "", "SP not restored", "run failed: UC_ERR_FETCH_UNMAPPED"]
    assert "Unicorn: run failed" in dom.text() and "Unicorn computes the same" not in dom.text()
