from django.db import migrations


class Migration(migrations.Migration):
    """The date of the last reminder, now also the guard against a second reminder within 24 hours."""

    dependencies = [
        ("surveys", "0003_response_files"),
    ]

    operations = [
        migrations.RenameField(model_name="invitation", old_name="reminded_at", new_name="last_reminded_at"),
    ]
