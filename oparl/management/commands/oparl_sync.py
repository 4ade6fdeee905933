from django.core.management.base import BaseCommand

from oparl import records


class Command(BaseCommand):
    help = (
        "Bring the OParl API's records (created/modified and soft deletes) in "
        "step with the published content. Run once after installing the app; "
        "afterwards every publish, unpublish and delete does it."
    )

    def handle(self, *args, **options):
        added, changed = records.sync()
        self.stdout.write(f"OParl: {added} objects added, {changed} changed.")
