"""Audit the virtualenv's packages for known vulnerabilities with pip-audit (``make security``).

Fails (exit 1) when pip-audit reports a vulnerable package, or a package it could not audit while
it could audit others. pip-audit asks PyPI's per-release JSON API
(``/pypi/NAME/VERSION/json``); where that API cannot be reached (some sandboxes reach only the
package index, and pip-audit then skips every package as "not found"), the audit did not happen:
this prints a loud NOT AUDITED notice and exits 0, or 1 with ``WUSHE_AUDIT_STRICT=1``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    strict = os.environ.get("WUSHE_AUDIT_STRICT") == "1"
    result = subprocess.run(  # noqa: S603
        [
            str(BIN / "pip-audit"),
            "--skip-editable",
            "--progress-spinner",
            "off",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout + result.stderr, file=sys.stderr)
        print("pip-audit: NOT AUDITED — the vulnerability service could not be reached.", file=sys.stderr)
        return 1 if strict else 0

    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if "skip_reason" in d]
    audited = len(deps) - len(skipped)

    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "none yet"
            print(f"VULNERABLE {dep['name']}=={dep['version']}: {vuln['id']} (fixed in {fixes})")
    if vulnerable:
        return 1
    if skipped and audited == 0:
        print(
            f"pip-audit: NOT AUDITED — PyPI's vulnerability API is not reachable from this machine; "
            f"{len(skipped)} packages were skipped. Run `make security` where https://pypi.org/pypi/ "
            "answers per-release requests.",
            file=sys.stderr,
        )
        return 1 if strict else 0
    if skipped:
        for dep in skipped:
            print(f"NOT AUDITED {dep['name']}: {dep['skip_reason']}", file=sys.stderr)
        return 1
    print(f"pip-audit: {audited} packages audited, no known vulnerability.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
