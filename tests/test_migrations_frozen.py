"""A migration, once committed, is never edited, renamed or deleted: new changes get a new migration."""

from __future__ import annotations

from django.test import SimpleTestCase

from tests import freeze_migrations


class CommittedMigrationsAreFrozenTest(SimpleTestCase):
    def test_every_recorded_migration_is_unchanged(self) -> None:
        on_disk = freeze_migrations.migration_files()
        for name, digest in freeze_migrations.recorded().items():
            with self.subTest(migration=name):
                self.assertIn(name, on_disk, f"{name} was committed and is gone: restore it, add a new migration")
                self.assertEqual(on_disk[name], digest, f"{name} was committed and has changed: restore it")

    def test_every_migration_is_recorded(self) -> None:
        missing = sorted(set(freeze_migrations.migration_files()) - set(freeze_migrations.recorded()))
        self.assertEqual(missing, [], "record new migrations with: python -m tests.freeze_migrations")
