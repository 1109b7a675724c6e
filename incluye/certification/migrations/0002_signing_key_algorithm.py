# Every key that exists before this migration is an Ed25519 ("EdDSA") key; new keys are ES256.

from django.db import migrations, models

CHOICES = [("ES256", "ES256"), ("EdDSA", "EdDSA (Ed25519)")]


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="signingkey",
            name="algorithm",
            field=models.CharField(choices=CHOICES, default="EdDSA", max_length=10, verbose_name="algorithm"),
        ),
        migrations.AlterField(
            model_name="signingkey",
            name="algorithm",
            field=models.CharField(choices=CHOICES, default="ES256", max_length=10, verbose_name="algorithm"),
        ),
    ]
