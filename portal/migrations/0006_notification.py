# Notification moves from performance to portal in state only: the table
# performance_notification, its rows and indexes stay as they are (no SQL).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0005_audit_entry'),
        # the table exists with every column and index before portal takes it over
        ('performance', '0004_notification_email_outbox'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('message', models.CharField(max_length=300)),
                        ('url', models.CharField(max_length=300)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('email_pending', models.BooleanField(default=False)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('email_attempts', models.PositiveSmallIntegerField(default=0)),
                        ('email_retry_at', models.DateTimeField(blank=True, null=True)),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'notifikasi',
                        'verbose_name_plural': 'notifikasi',
                        'db_table': 'performance_notification',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [
                            models.Index(fields=['recipient', 'read_at'], name='notification_unread_idx'),
                            models.Index(condition=models.Q(('email_pending', True)), fields=['created_at', 'id'], name='notification_email_pending_idx'),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
