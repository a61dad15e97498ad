# Notification now lives in portal (portal 0005): removed from this app's state only; the
# table performance_notification and its rows stay (no SQL).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('performance', '0004_notification_email_outbox'),
        ('portal', '0006_notification'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notification')],
            database_operations=[],
        ),
    ]
