"""check's normalised text keeps, for every character, the source line it came from."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.assemble import Line
from reportkit.check.text import normalize

FULL_WIDTH = "％（）＝＋：，；／＞＜\u3000\u00a0"
HALF_WIDTH = "%()=+:,;/><  "
DROPPED = "$*`~{}“”\"‘’「」"
PLAIN = "预算执行率为万元0123456789.,%() "

lines = st.lists(st.tuples(st.sampled_from(FULL_WIDTH + DROPPED + PLAIN), st.integers(1, 9), st.booleans()),
                 max_size=40)


@settings(max_examples=300, deadline=None)
@given(lines)
def test_each_character_keeps_its_source_line_and_author(chars: list[tuple[str, int, bool]]) -> None:
    text = "".join(c for c, _, _ in chars)
    result = normalize(Line(text, [s for _, s, _ in chars], [t for _, _, t in chars]))
    kept = [(c, s, t) for c, s, t in chars if c not in DROPPED]
    assert result.text == "".join(HALF_WIDTH[FULL_WIDTH.index(c)] if c in FULL_WIDTH else c for c, _, _ in kept)
    assert result.sources == [s for _, s, _ in kept]
    assert result.typed == [t for _, _, t in kept]


def test_latex_marks_take_the_line_of_their_first_character() -> None:
    text = "执行率 \\text{95}\\% ＝ 1 \\div 2"
    result = normalize(Line(text, list(range(1, len(text) + 1)), [True] * len(text)))
    assert result.text == "执行率 95% = 1 ÷ 2"
    assert len(result.sources) == len(result.text) == len(result.typed)
    assert result.sources[result.text.index("÷")] == text.index("\\div") + 1


def _every_step(line: Line):  # noqa: ANN202
    """normalize() as it would be with every step run on every line."""
    from reportkit.check.text import _STEPS, Text

    text = Text(line.text, line.sources, line.typed)
    for step in _STEPS:
        text = text.translate(step) if isinstance(step, dict) else text.sub(step[0], step[1])
    return text


LATEX = ["\\text{", "}", "\\%", "\\Sigma", "\\sum", "\\div", "\\times", "\\le", "\\leq", "\\geq", "\\ge",
         "\\left", "\\right", "\\quad", "\\,", "\\;", "\\!", "\\", "x", "2"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*LATEX, *FULL_WIDTH, *DROPPED, *PLAIN]), max_size=30))
def test_skipping_the_steps_a_line_cannot_match_changes_nothing(pieces: list[str]) -> None:
    text = "".join(pieces)
    line = Line(text, list(range(1, len(text) + 1)), [k % 3 > 0 for k in range(len(text))])
    assert normalize(line) == _every_step(line)


def _depth_by_character(text: str) -> list[int]:
    depth, out = 0, []
    for char in text:
        if char in ")]】":
            depth = max(0, depth - 1)
        out.append(depth)
        if char in "([【":
            depth += 1
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="()[]【】（）a中1 ", max_size=60))
def test_bracket_depths_as_counted_character_by_character(text: str) -> None:
    from reportkit.check.text import depth_map

    assert depth_map(text) == _depth_by_character(text)
