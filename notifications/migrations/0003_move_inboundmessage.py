# The inbound e-mail log moves to the `inbound` app: its table is renamed, its rows kept.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_sentmessage_internal"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="InboundMessage", table="inbound_inboundmessage"),
            ],
            state_operations=[
                migrations.DeleteModel(name="InboundMessage"),
            ],
        ),
    ]
