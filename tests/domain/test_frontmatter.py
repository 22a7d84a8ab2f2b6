from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from samverkan.domain.frontmatter import (
    MAX_BYTES,
    as_text,
    check_text,
    decode_text,
    read_text,
    split_front_matter,
    unknown_keys,
)
from samverkan.domain.model import Problem

from .helpers import BAD, text_of

P = Path("x.md")


def test_text_without_front_matter_is_all_body() -> None:
    front = split_front_matter(P, "# Rubrik\n\ntext\n")
    assert not front.present
    assert front.problems == []
    assert front.body == "# Rubrik\n\ntext\n"
    assert front.body_offset == 0


def test_front_matter_is_split_and_line_offsets_count_the_fences() -> None:
    front = split_front_matter(P, "---\ntitle: Möte\nmeeting: 2\n---\nbody\n")
    assert front.present and front.loaded
    assert front.data == {"title": "Möte", "meeting": 2}
    assert front.body == "body\n"
    assert front.body_offset == 4
    assert front.key_line("meeting") == 3
    assert front.value_line("title") == 2


def test_blank_lines_before_the_opening_fence_are_forgiven() -> None:
    front = split_front_matter(P, "\n\n---\nmeeting: 1\n---\nbody")
    assert front.present
    assert front.key_line("meeting") == 4
    assert front.body_offset == 5


def test_closing_fence_may_be_three_dots() -> None:
    front = split_front_matter(P, "---\nmeeting: 1\n...\nbody")
    assert front.data == {"meeting": 1}
    assert front.body == "body"


def test_windows_line_endings_keep_line_numbers() -> None:
    front = split_front_matter(P, "---\r\na: 1\r\nb: [\r\n---\r\n")
    assert [p.line for p in front.problems] == [4]


def test_broken_yaml_is_reported_on_the_files_own_line() -> None:
    front = split_front_matter(BAD / "x.md", text_of(BAD / "agenda-broken-yaml.md"))
    [problem] = front.problems
    assert problem.line == 3
    assert "not valid YAML" in problem.message
    assert "quotes" in problem.message


def test_unclosed_front_matter_is_a_problem_at_its_start() -> None:
    front = split_front_matter(P, text_of(BAD / "agenda-unclosed-front-matter.md"))
    [problem] = front.problems
    assert problem.line == 1
    assert "never closed" in problem.message and "---" in problem.message
    assert not front.present


def test_front_matter_that_is_a_list_is_a_problem() -> None:
    front = split_front_matter(P, "---\n- a\n- b\n---\n")
    [problem] = front.problems
    assert problem.line == 2
    assert "is a list, not a set of keys" in problem.message


def test_front_matter_that_is_one_value_is_a_problem() -> None:
    front = split_front_matter(P, "---\njust text\n---\n")
    assert "is a single value" in front.problems[0].message


def test_empty_front_matter_is_an_empty_mapping() -> None:
    front = split_front_matter(P, "---\n---\nbody")
    assert front.present and front.loaded
    assert front.data == {}
    assert front.problems == []


def test_dates_stay_text_so_a_bad_one_is_not_a_yaml_crash() -> None:
    front = split_front_matter(P, "---\ndate: 2018-02-30\ngood: 2018-03-15\n---\n")
    assert front.problems == []
    assert front.data == {"date": "2018-02-30", "good": "2018-03-15"}


def test_an_explicit_timestamp_tag_still_gives_a_date() -> None:
    front = split_front_matter(P, "---\ndate: !!timestamp 2018-03-15\n---\n")
    assert front.data["date"] == date(2018, 3, 15)


def test_an_impossible_explicit_timestamp_is_a_problem_not_a_crash() -> None:
    front = split_front_matter(P, "---\ndate: !!timestamp 2018-13-45\n---\n")
    [problem] = front.problems
    assert "cannot read" in problem.message


def test_python_tags_are_refused_by_safe_loading() -> None:
    front = split_front_matter(P, "---\na: !!python/object:os.system ls\n---\n")
    [problem] = front.problems
    assert problem.line == 2
    assert "not valid YAML" in problem.message


def test_control_character_in_yaml_is_reported_on_its_line() -> None:
    front = split_front_matter(P, "---\na: 1\nb: \x07\n---\n")
    [problem] = front.problems
    assert problem.line == 3


def test_duplicate_keys_name_the_first_line() -> None:
    front = split_front_matter(P, "---\nhost: KRA\ntitle: x\nhost: AF\n---\n")
    [problem] = front.problems
    assert problem.line == 4
    assert "'host' is written twice (first on line 2)" in problem.message
    assert front.loaded


def test_unknown_keys_suggest_the_nearest_accepted_key() -> None:
    front = split_front_matter(P, "---\nplats: x\nzzz: y\n---\n")
    first, second = unknown_keys(front, ("place", "host"))
    assert first.line == 2 and "did you mean 'place'" in first.message
    assert second.line == 3 and "write one of place, host" in second.message


def test_as_text_keeps_what_the_user_wrote() -> None:
    front = split_front_matter(P, "---\nshort: 012\nflag: yes\n---\n")
    assert front.data["short"] == 10  # YAML 1.1 octal, the trap as_text avoids
    assert as_text(front.data["short"], front.value_node("short")) == "012"
    assert as_text(front.data["flag"], front.value_node("flag")) == "yes"
    assert as_text(None, None) is None
    assert as_text([1], None) is None


def test_utf8_with_bom_is_read() -> None:
    text, problems = decode_text(P, "\ufeff---\nmeeting: 1\n---\n".encode())
    assert problems == []
    assert text is not None and text.startswith("---")


def test_latin1_file_is_a_problem_naming_the_line_and_utf8() -> None:
    text, [problem] = read_text(BAD / "latin1.md")
    assert text is None
    assert problem.line == 3
    assert "not UTF-8" in problem.message and "0xf6" in problem.message
    assert "save it as UTF-8" in problem.message


def test_binary_file_is_a_problem() -> None:
    text, [problem] = read_text(BAD / "binary.md")
    assert text is None
    assert problem.line == 4
    assert "binary" in problem.message and "plain Markdown" in problem.message


def test_empty_file_is_a_problem() -> None:
    text, [problem] = read_text(BAD / "empty.md")
    assert text is None
    assert (problem.line, "empty") == (1, "empty") and "empty" in problem.message


def test_whitespace_only_file_is_empty() -> None:
    _text, [problem] = read_text(BAD / "blank.md")
    assert "empty" in problem.message


def test_huge_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(b"- x\n" * (3 * 1024 * 1024 // 4))
    text, [problem] = read_text(path)
    assert text is None
    assert problem.line == 1
    assert "3.0 MB" in problem.message and "2 MB" in problem.message


def test_huge_text_is_refused_too() -> None:
    [problem] = check_text(P, "a" * (MAX_BYTES + 1))
    assert "2 MB" in problem.message


def test_lone_surrogate_in_text_is_a_problem() -> None:
    [problem] = check_text(P, "ok\n\ud800")
    assert problem.line == 2
    assert "UTF-8" in problem.message


def test_nul_character_in_text_is_a_problem() -> None:
    [problem] = check_text(P, "a\nb\x00")
    assert problem.line == 2 and "binary" in problem.message


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    _text, [problem] = read_text(tmp_path / "nope.md")
    assert problem == Problem(tmp_path / "nope.md", 1, problem.message)
    assert "no such file or folder" in problem.message


def test_a_pipe_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    _text, [problem] = read_text(tmp_path / "pipe.md")
    assert "not a regular file" in problem.message


def test_a_path_with_a_nul_byte_is_a_problem() -> None:
    _text, [problem] = read_text(Path("a\x00b.md"))
    assert "cannot be read" in problem.message


def test_byte_order_mark_in_text_does_not_hide_the_front_matter() -> None:
    front = split_front_matter(P, "\ufeff---\nmeeting: 1\n---\n")
    assert front.data == {"meeting": 1}
    assert "empty" in check_text(P, "\ufeff \n")[0].message


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    _text, [problem] = read_text(tmp_path)
    assert "folder" in problem.message


@pytest.mark.parametrize(
    ("yaml_text", "wrong"),
    [
        ('meeting: 1\ntitle: "Möte 1\nhost: KRA\nplace: x\n', 3),  # quote never closed
        ("meeting: 1\ntitle: 'Möte 1\nhost: KRA\nplace: x\n", 3),
        ('meeting: 1\ntitle: "Möte 1\nhost: KRA\nstart: "09:30"\n', 3),  # closed lines later
        ("meeting: 1\ntitle Möte\nhost: KRA\n", 3),  # no colon
        ("meeting: 1\nobservers: [A, B\nhost: KRA\n", 3),  # [ never closed
        ("meeting: 1\ntitle: {x\nhost: KRA\n", 3),
        ("meeting: 1\ntitle: Möte: ett\nhost: KRA\n", 3),  # a colon in a value
        ("organisations:\n  - name: A\n   short: B\n", 4),  # indented one space too far
        ("meeting: 1\ntitle: x\n  host: KRA\n", 4),
    ],
)
def test_a_yaml_error_points_at_the_line_that_is_wrong(yaml_text: str, wrong: int) -> None:
    front = split_front_matter(Path("01.md"), f"---\n{yaml_text}---\n## Samtal\n")
    [problem] = front.problems
    assert problem.line == wrong, problem.message
