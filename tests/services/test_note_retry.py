"""A retried Enter never doubles a note.

On a server, a connection can drop after the commit reached the server but before
its answer reached us; the write queue then runs the same job again, with the same
note id. The second insert must leave the note as it is (on both engines).
"""

from __future__ import annotations

from samverkan.domain.model import new_id
from samverkan.services import NoteDraft, Services


def test_the_same_note_written_twice_is_one_note_with_one_revision(imported: Services) -> None:
    meeting_id = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(meeting_id)
    draft = NoteDraft("Kommunen tar fram en kontaktlista", id=new_id())
    first = imported.notes.add(meeting_id, draft)
    imported.clock.advance(5)
    again = imported.notes.add(meeting_id, draft)
    assert again.id == first.id
    assert again.created_at == first.created_at  # the stored note, not a second one
    notes = [n for n in imported.notes.notes(meeting_id) if n.id == first.id]
    assert len(notes) == 1
    assert len(imported.notes.history(first.id)) == 1
