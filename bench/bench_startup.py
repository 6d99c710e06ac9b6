"""Start-up cost of the ``plc`` command and of the app, as ratios measured in one run.

    python bench/bench_startup.py            # full run (about a minute, most of it the demos)
    python bench/bench_startup.py --quick    # fewer repetitions

Every sample is a new process, timed from spawn to exit by this script; the
cases of a row alternate, and the times are medians. plc's own modules are
compiled to bytecode first (``compileall``), as pip does at install.

1. A CLI verb end to end: ``plc survey list`` on a small demo community
   (``PLC_DB``), against ``python -c "import click, tinydb"``, the two libraries
   every plc command needs. Target: at most 2x.
2. The app, cold, to its first painted dashboard: plc's app built as ``plc``
   builds it (``plc_tui.cli.build_app``) and run headless, its auto pilot
   waiting for the screen to paint (``pilot.pause()``) and then exiting, against
   a minimal Textual app (Header, a 100-row DataTable, Footer) run the same way
   (``bench/startup_app.py``). Target: at most 1.2x. And the district demo
   against the small one, target at most 1.1x.

The demos are made by ``plc demo --no-open`` in a temporary folder, with their
own HOME and XDG folders, so nothing of the person running this is read or
written. The results replace this script's section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import machine, update_benchmarks  # beside this file

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
PLC = str(Path(sys.executable).with_name("plc"))
TARGETS = {"cli": 2.0, "app": 1.2, "district": 1.1}


def environment(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PLC_", "XDG_", "TEXTUAL")) and k not in ("NO_COLOR", "HOME")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
    )
    return env


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time from spawn to exit, and the CPU time (user + system) it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def alternate(
    cases: dict[str, tuple[list[str], dict[str, str]]], reps: int
) -> dict[str, tuple[float, float]]:
    """Median wall and CPU time of each case, the cases run in turn ``reps`` times."""
    for command, env in cases.values():
        run(command, env)  # warm the file cache; not counted
    walls: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(reps):
        for name, (command, env) in cases.items():
            wall, cpu = run(command, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in cases}


def imported(command: list[str], env: dict[str, str]) -> list[str]:
    """The modules ``command`` imports (``-X importtime``), in order."""
    found = subprocess.run(
        [PYTHON, "-X", "importtime", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    ).stderr
    return [
        line.rsplit("|", 1)[1].strip()
        for line in found.splitlines()
        if line.startswith("import time:") and "imported package" not in line
    ]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args()
    reps = 9 if args.quick else 21
    started = time.perf_counter()
    compileall.compile_dir(ROOT / "plc_tui", quiet=1)
    compileall.compile_dir(ROOT / "plugins", quiet=1)

    with tempfile.TemporaryDirectory(prefix="plc-bench-startup-") as tmp:
        home = Path(tmp)
        env = environment(home)
        small, district = home / "small", home / "district"
        for size, path in (("small", small), ("district", district)):
            subprocess.run(
                [PLC, "demo", "--size", size, "--no-open", "--db", str(path)],
                env=env,
                stdout=subprocess.DEVNULL,
                check=True,
            )
        cli_env = {**env, "PLC_DB": str(small)}
        verb = [PLC, "survey", "list"]
        cli = alternate(
            {
                "baseline": ([PYTHON, "-c", "import click, tinydb"], env),
                "plc": (verb, cli_env),
            },
            reps,
        )
        modules = imported(["-m", "plc_tui", "survey", "list"], cli_env)
        driver = str(HERE / "startup_app.py")
        checks = {
            name: subprocess.run(
                [PYTHON, driver, "plc", str(path), "--check"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split("\n")
            for name, path in (("small", small), ("district", district))
        }
        app = alternate(
            {
                "minimal": ([PYTHON, driver, "minimal"], env),
                "small": ([PYTHON, driver, "plc", str(small)], env),
                "district": ([PYTHON, driver, "plc", str(district)], env),
            },
            reps,
        )

    info = machine("textual", "click", "tinydb")
    rows = [
        (
            "CLI verb end to end",
            '`python -c "import click, tinydb"`',
            "`plc survey list`, small demo",
            cli["baseline"],
            cli["plc"],
            "cli",
        ),
        (
            "app, cold, to its first painted screen",
            "minimal Textual app (Header, 100-row DataTable, Footer)",
            "the dashboard, small demo",
            app["minimal"],
            app["small"],
            "app",
        ),
        (
            "app: district data vs small",
            "the dashboard, small demo",
            "the dashboard, district demo",
            app["small"],
            app["district"],
            "district",
        ),
    ]
    table = [
        "| scenario | baseline | plc | baseline time | plc time | ratio | target | met "
        "| CPU time: baseline, plc, ratio |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | :---: | ---: |",
    ]
    for scenario, base_case, plc_case, (base, base_cpu), (mine, mine_cpu), key in rows:
        ratio = mine / base
        met = "yes" if ratio <= TARGETS[key] else "**no**"
        table.append(
            f"| {scenario} | {base_case} | {plc_case} | {ms(base)} | {ms(mine)} | "
            f"{ratio:.2f}x | <= {TARGETS[key]}x | {met} | "
            f"{ms(base_cpu)}, {ms(mine_cpu)}, {mine_cpu / base_cpu:.2f}x |"
        )
    # Modules a command imports only when it needs them (the app, sealing, the
    # servers, exports, backups), and Rich's Text (only the app shows text with it).
    optional = ["textual", "nacl", "rich.text", "asyncssh", "textual_serve", "logging", "tomllib"]
    loaded = [name for name in optional if name in modules]
    shown = {name: "; ".join(line for line in lines if line) for name, lines in checks.items()}
    command = "python bench/bench_startup.py" + (" --quick" if args.quick else "")
    section = f"""## Start-up: the `plc` command and the app

Measured {info["date"]} by `{command}` ({time.perf_counter() - started:.0f} s) on \
{info["nproc"]} CPUs (nproc; {info["cpu"]}), Python {info["python"]}, {info["os"]}, \
Textual {info["textual"]}, click {info["click"]}, TinyDB {info["tinydb"]}.

Every sample is a new process timed from spawn to exit; medians of {reps} samples per \
case, the cases of a row alternating; plc's modules compiled to bytecode first. Demos \
made by `plc demo --no-open` (small: 8 teams, 35 members; district: 60 teams, 423 members).

{chr(10).join(table)}

What the first painted dashboard showed: small: {shown["small"]}; district: \
{shown["district"]}.

Times are wall clock from spawn to exit (the targets); the CPU time the processes used \
is given beside them, as it moves less when the machine is shared. `plc survey list` \
imports {len(modules)} modules; of {", ".join(optional)} it imports: \
{", ".join(loaded) or "none"}.
"""
    print(section)
    if not args.no_write:
        update_benchmarks(ROOT / "BENCHMARKS.md", "bench_startup", section, args.quick)


if __name__ == "__main__":
    main()
