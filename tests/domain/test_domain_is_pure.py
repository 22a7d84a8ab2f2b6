from __future__ import annotations

import subprocess
import sys


def test_parsers_import_neither_textual_nor_the_database() -> None:
    code = (
        "import sys\n"
        "import samverkan.domain.check, samverkan.domain.agenda, samverkan.domain.codebook\n"
        "import samverkan.domain.project, samverkan.domain.frontmatter\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'sqlmodel', 'sqlalchemy', 'rich'))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
