"""A composite's parts settle at resolution (done or dropped); escalation notes become internal notes.

Notes to the production team were stored on the public history row of the escalation: each one moves to an
internal note (a comment only staff see, as new escalations write it) and leaves the history row."""

from django.db import migrations, models


def escalation_notes_to_internal(apps, schema_editor):
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    Comment = apps.get_model("tickets", "Comment")
    for event in TicketEvent.objects.filter(transition="escalate").exclude(note="").iterator():
        if event.actor_id is not None:
            Comment.objects.create(
                ticket_id=event.ticket_id,
                author_id=event.actor_id,
                body=event.note,
                internal=True,
                created_at=event.created_at,
            )
            TicketEvent.objects.create(
                ticket_id=event.ticket_id,
                actor_id=event.actor_id,
                kind="comment",
                note=event.note[:500],
                internal=True,
                created_at=event.created_at,
            )
        TicketEvent.objects.filter(pk=event.pk).update(note="")


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0011_checklists"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="parts_done",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="ticketpart",
            name="dropped_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="ticketpart",
            constraint=models.CheckConstraint(
                condition=models.Q(("done_at__isnull", True), ("dropped_at__isnull", True), _connector="OR"),
                name="ticket_part_done_or_dropped",
            ),
        ),
        migrations.RunPython(escalation_notes_to_internal, migrations.RunPython.noop),
    ]
