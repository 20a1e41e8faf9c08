from django.db import migrations, models


def forwards(apps, schema_editor):
    """End reasons from the old flag; revisions restart as server counters (1 for every stored answer)."""
    Attempt = apps.get_model("practice", "Attempt")
    Answer = apps.get_model("practice", "Answer")
    interviews = Attempt.objects.filter(kind="interview", status="finished")
    interviews.filter(timed_out=True).update(end_reason="clock")
    interviews.filter(timed_out=False).update(end_reason="candidate")
    Answer.objects.filter(item__attempt__kind="interview").update(revision=1)


def backwards(apps, schema_editor):
    Attempt = apps.get_model("practice", "Attempt")
    Attempt.objects.filter(end_reason__in=["clock", "server"]).update(timed_out=True)


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0002_question_stats"),
    ]

    operations = [
        # Never written: the chosen topics are Attempt.tags, shown wherever an attempt is listed.
        migrations.RemoveField(model_name="attempt", name="topics"),
        migrations.AddField(
            model_name="attempt",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("candidate", "Finished by you before the time was up"),
                    ("clock", "Ended by the clock at 00:00"),
                    ("server", "Closed by the server after the deadline"),
                ],
                help_text="Interviews: who or what ended it.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="saved_by",
            field=models.CharField(
                blank=True,
                help_text="Interviews: the browser tab of the latest save (its own saves never clash).",
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="revision",
            field=models.PositiveBigIntegerField(
                default=0,
                help_text="Interviews: a counter the server raises by one on every stored save. A save names the "
                "revision it was based on and is refused if another one was stored since (compare-and-set).",
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=True),
        migrations.RemoveField(model_name="attempt", name="timed_out"),
    ]
