"""The change sequence: every insert and update numbered, in commit order, on both engines."""

from __future__ import annotations

from sqlalchemy import text

from samverkan.services import NoteDraft, Services


def seqs(services: Services, note_id: str) -> tuple[int, int]:
    with services.database.read() as session:
        row = session.execute(
            text("SELECT added_seq, change_seq FROM note WHERE id = :id"), {"id": note_id}
        ).one()
    return int(row[0]), int(row[1])


def test_inserts_and_updates_are_numbered_and_insert_order_stays(imported: Services) -> None:
    meeting_id = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(meeting_id)
    # One instant for all (a fixed clock): only the sequence keeps the order of writing.
    notes = [imported.notes.add(meeting_id, NoteDraft(f"n{i}")) for i in range(5)]
    numbers = [seqs(imported, n.id) for n in notes]
    assert [a for a, _ in numbers] == sorted(a for a, _ in numbers)
    assert all(a == c for a, c in numbers)
    imported.notes.edit(notes[1].id, text="ändrad")
    added, changed = seqs(imported, notes[1].id)
    assert added == numbers[1][0] and changed > numbers[-1][1]
    assert [n.text for n in imported.notes.notes(meeting_id)] == ["n0", "ändrad", "n2", "n3", "n4"]
    code = imported.projects.meeting(meeting_id).codes[0]
    imported.tags.set(notes[0].id, code.id, "Anders", True)
    with imported.database.read() as session:
        tag_seq = session.execute(text("SELECT max(change_seq) FROM tag")).scalar()
    assert tag_seq is not None and tag_seq > changed
