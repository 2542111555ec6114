"""The insights' tally of calls and the follow-ups' own company (both for the KPIs' speed).

The table only: its unique constraint, which the triggers' ON CONFLICT needs, is created at
the end of this migration, so the triggers and the backfill are the next one's.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_role_supervisor'),
        ('calls', '0001_call_log'),
        ('sites', '0003_agency_terms'),
    ]

    operations = [
        migrations.CreateModel(
            name='CallTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('zone', models.CharField(max_length=64)),
                ('week', models.DateField()),
                ('calls', models.IntegerField()),
                ('preventable', models.IntegerField()),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sites.client')),
                ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.company')),
                ('disposition', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='calls.dispositioncode')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('company', 'zone', 'week', 'client', 'disposition'), name='call_tally_once_per_key', nulls_distinct=False)],
            },
        ),
        migrations.AddField(
            model_name='followup',
            name='company',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.company'),
        ),
        migrations.RunSQL(
            "UPDATE calls_followup AS fu SET company_id = c.company_id FROM calls_call AS c WHERE c.id = fu.call_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='followup',
            name='company',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.company'),
        ),
        migrations.AddIndex(
            model_name='followup',
            index=models.Index(condition=models.Q(('done_at__isnull', False)), fields=['company', 'done_at'], include=('created_at',), name='followup_company_done_idx'),
        ),
    ]
