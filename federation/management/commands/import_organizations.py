from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from federation.services.imports import organizations_import


class Command(BaseCommand):
    help = "Import units from an XLSX or CSV file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as-user",
            default=None,
            help="Username whose rights apply (default: the first superuser).",
        )

    def handle(self, *args, file: Path, as_user: str | None, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        user = (
            User.objects.filter(username=as_user).first()
            if as_user
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError("No such user (create a superuser first, or pass --as-user).")
        upload = SimpleUploadedFile(file.name, file.read_bytes())
        report = organizations_import(upload=upload, by=user)
        if not report.ok:
            for problem in report.problems:
                where = f"row {problem.row}" if problem.row else "file"
                self.stderr.write(f"{where}: {problem.message}")
            raise CommandError(f"Nothing imported: {len(report.problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS(f"{report.created} units imported."))
