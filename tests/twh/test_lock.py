"""The Python lock files: every declared dependency is pinned with hashes, the two locks agree,
and this environment was installed from them (what `make setup` does)."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK, DEV_LOCK = ROOT / "requirements" / "lock.txt", ROOT / "requirements" / "dev.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(path: Path) -> dict[str, str]:
    """{name: version} of a pip-compile lock; fails on any pin without a hash."""
    lines = path.read_text().splitlines()
    found = {}
    for index, line in enumerate(lines):
        match = PIN.match(line)
        if match:
            assert lines[index + 1].strip().startswith("--hash=sha256:"), f"{line} has no hash in {path.name}"
            found[canonicalize_name(match[1])] = match[2]
    return found


def declared() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    build = [Requirement(r) for r in project["build-system"]["requires"]]
    runtime = [Requirement(r) for r in project["project"]["dependencies"]]
    dev = [Requirement(r) for r in project["project"]["optional-dependencies"]["dev"]]
    return build + runtime, dev


def test_every_declared_dependency_is_pinned_within_its_range():
    runtime, dev = declared()
    lock, dev_lock = pins(LOCK), pins(DEV_LOCK)
    for requirement in runtime:
        name = canonicalize_name(requirement.name)
        assert name in lock, f"{requirement} is not in requirements/lock.txt: run `make lock`"
        assert requirement.specifier.contains(lock[name], prereleases=True), (requirement, lock[name])
    for requirement in runtime + dev:
        name = canonicalize_name(requirement.name)
        assert name in dev_lock, f"{requirement} is not in requirements/dev.txt: run `make lock`"
        assert requirement.specifier.contains(dev_lock[name], prereleases=True), (requirement, dev_lock[name])


def test_the_dev_lock_pins_what_the_production_lock_pins():
    lock, dev_lock = pins(LOCK), pins(DEV_LOCK)
    assert {name: dev_lock.get(name) for name in lock} == lock


def test_this_environment_was_installed_from_the_lock():
    expected = pins(DEV_LOCK)
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    different = {name: (version, installed.get(name)) for name, version in expected.items()
                 if installed.get(name) != version}
    assert not different, f"installed versions differ from requirements/dev.txt (run `make setup`): {different}"
