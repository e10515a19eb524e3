from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="delivery",
            name="reminders_d_status_b78f08_idx",
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["id"],
                name="delivery_pending_idx",
            ),
        ),
    ]
