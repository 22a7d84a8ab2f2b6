"""The analysis, report and exchange modules run without Textual or the database."""

from __future__ import annotations

import subprocess
import sys


def test_analysis_modules_import_neither_textual_nor_the_database() -> None:
    code = (
        "import sys\n"
        "import samverkan.domain.agreement, samverkan.domain.analysis\n"
        "import samverkan.domain.report, samverkan.domain.report_agreement\n"
        "import samverkan.domain.refiqda, samverkan.domain.refiqda_import\n"
        "import samverkan.domain.tag_export, samverkan.domain.series\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'sqlmodel', 'sqlalchemy', 'rich'))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_cli_module_imports_lightly() -> None:
    code = (
        "import sys\n"
        "import samverkan.cli_analysis\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'sqlmodel', 'sqlalchemy', 'rich', 'markdown_it'))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
