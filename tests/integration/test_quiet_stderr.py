"""While the app runs, C-library noise on fd 2 goes to a log but the screen still reaches the terminal."""

import subprocess
import sys
import textwrap


def test_fd2_goes_to_the_log_and_sys_stderr_dunder_to_the_terminal(tmp_path):
    log = tmp_path / "audio.log"
    code = textwrap.dedent(
        f"""
        import os, sys
        from pathlib import Path
        from simulator.audio.devices import quiet_stderr
        with quiet_stderr(Path({str(log)!r})):
            os.write(2, b"ALSA lib pcm.c: noise\\n")          # what PortAudio/ALSA do
            sys.__stderr__.write("screen\\n")                 # what Textual's driver does
            sys.__stderr__.flush()
        os.write(2, b"after\\n")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert log.read_text() == "ALSA lib pcm.c: noise\n"
    assert out.stderr == "screen\nafter\n"
