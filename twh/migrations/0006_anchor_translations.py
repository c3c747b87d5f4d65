
"""The anchor organizations' name and description get a column per language; the English is the existing text."""

from django.db import migrations, models


def copy_to_english(apps, schema_editor):
    Anchor = apps.get_model("twh", "Anchor")
    for row in Anchor.objects.all():
        row.name_en = row.name_en or row.name
        row.description_en = row.description_en or row.description
        row.save(update_fields=["name_en", "description_en"])


class Migration(migrations.Migration):

    dependencies = [
        ('twh', '0005_outbox_html_body'),
    ]

    operations = [
        migrations.AddField(
            model_name='anchor',
            name='description_ar',
            field=models.TextField(blank=True, help_text='One or two sentences about the organization and its part in the campaign.', max_length=500, null=True, verbose_name='short description'),
        ),
        migrations.AddField(
            model_name='anchor',
            name='description_en',
            field=models.TextField(blank=True, help_text='One or two sentences about the organization and its part in the campaign.', max_length=500, null=True, verbose_name='short description'),
        ),
        migrations.AddField(
            model_name='anchor',
            name='description_es',
            field=models.TextField(blank=True, help_text='One or two sentences about the organization and its part in the campaign.', max_length=500, null=True, verbose_name='short description'),
        ),
        migrations.AddField(
            model_name='anchor',
            name='description_hi',
            field=models.TextField(blank=True, help_text='One or two sentences about the organization and its part in the campaign.', max_length=500, null=True, verbose_name='short description'),
        ),
        migrations.AddField(
            model_name='anchor',
            name='description_pl',
            field=models.TextField(blank=True, help_text='One or two sentences about the organization and its part in the campaign.', max_length=500, null=True, verbose_name='short description'),
        ),
        migrations.AddField(
            model_name='anchor',
            name='description_zh_hans',
            field=models.TextField(blank=True, help_text='One or two sentences about the organization and its part in the campaign.', max_length=500, null=True, verbose_name='short description'),
        ),
        migrations.AddField(
            model_name='anchor',
            name='name_ar',
            field=models.CharField(max_length=150, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='anchor',
            name='name_en',
            field=models.CharField(max_length=150, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='anchor',
            name='name_es',
            field=models.CharField(max_length=150, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='anchor',
            name='name_hi',
            field=models.CharField(max_length=150, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='anchor',
            name='name_pl',
            field=models.CharField(max_length=150, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='anchor',
            name='name_zh_hans',
            field=models.CharField(max_length=150, null=True, verbose_name='name'),
        ),
        migrations.RunPython(copy_to_english, migrations.RunPython.noop),
    ]
