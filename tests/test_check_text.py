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
