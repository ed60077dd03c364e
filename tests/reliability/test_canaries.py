"""The secret scanner itself: it finds a secret in every form and every place a leak could take,
and it finds one planted in a real run's folder (so a clean result of the matrix means
something)."""

from __future__ import annotations

import base64
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from robot.core.errors import ExitCode
from tests.conversion.support import ENV_FILE
from tests.reliability.canaries import (
    MASK_RGB,
    Canary,
    RunSecrets,
    Scanner,
    assert_no_leaks,
    forms,
    unmasked_regions,
)
from tests.reliability.harness import Expect, check_case
from tests.reliability.robots import Robot

SECRETS = RunSecrets.fresh()
SECRET = SECRETS.rtdr_password
FORMS = sorted(forms(SECRET.value))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _text_file(root: Path, leak: bytes) -> None:
    (root / "report").mkdir()
    (root / "report" / "index.html").write_bytes(b"<p>before " + leak + b" after</p>")


def _trace_member(root: Path, leak: bytes) -> None:
    trace = _zip({"trace.trace": b'{"type":"log"}\n', "resources/page@1.html": b"x" + leak})
    (root / "trace.zip").write_bytes(trace)


def _nested_zip(root: Path, leak: bytes) -> None:
    (root / "bundle.zip").write_bytes(_zip({"inner.zip": _zip({"journal.jsonl": leak})}))


def _png_text(root: Path, leak: bytes) -> None:
    # Pixels are not searched (the masks check covers them); an image's text chunks are.
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", leak.decode())
    Image.new("RGB", (8, 8), MASK_RGB).save(root / "01-profile.png", pnginfo=info)


PLACES: dict[str, Callable[[Path, bytes], None]] = {
    "a text file": _text_file,
    "a PNG's text chunk": _png_text,
    "a trace member": _trace_member,
    "a zip in a zip": _nested_zip,
}


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("form", FORMS)
def test_each_form_of_a_secret_is_found_wherever_it_is_written(
    tmp_path: Path, form: str, place: str
) -> None:
    PLACES[place](tmp_path, forms(SECRET.value)[form])
    leaks = Scanner([SECRET]).folder(tmp_path).leaks
    assert form in {leak.form for leak in leaks}
    with pytest.raises(AssertionError, match="secret leaked"):
        assert_no_leaks(Scanner([SECRET]).folder(tmp_path))


@pytest.mark.parametrize("before", range(7))
def test_base64_finds_the_secret_whatever_comes_before_and_after_it(before: int) -> None:
    data = b"\x01" * before + SECRET.value.encode() + b"\x02" * (before % 3)
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        assert Scanner([Canary("s", SECRET.value)]).data("blob", encode(data)).leaks


def test_the_random_part_alone_is_a_leak() -> None:
    cut = SECRET.value[: SECRET.value.index(SECRET.core) + len(SECRET.core)]
    leaks = Scanner([SECRET]).text("stderr", f"password was {cut[:-1]}...{cut}").leaks
    assert [leak.form for leak in leaks] == ["its random part"]


def test_exception_text_and_printed_output_are_scanned() -> None:
    error = ValueError(json.dumps({"password": SECRET.value}))
    leaks = Scanner([SECRET]).exception("the exception", error).leaks
    assert {leak.where for leak in leaks} == {"the exception"}


def test_text_without_secrets_is_clean() -> None:
    innocent = "settings 10 and 13 hold ******** (changed); " + SECRET.core[:8]
    scanner = Scanner(SECRETS.canaries()).text("stdout", innocent)
    assert scanner.leaks == []
    assert_no_leaks(scanner)


def test_a_scanner_given_nothing_fails() -> None:
    with pytest.raises(AssertionError, match="given nothing"):
        assert_no_leaks(Scanner([SECRET]))


def _capture(folder: Path, paint: tuple[int, int, int]) -> None:
    folder.mkdir(parents=True)
    pixels = np.full((40, 60, 3), 255, dtype=np.uint8)
    pixels[10:20, 10:30] = paint
    Image.fromarray(pixels).save(folder / "06-advanced-settings.png")
    region = {"x": 10, "y": 10, "width": 20, "height": 10, "kind": "secret"}
    screens = {"06-advanced-settings": {"file": "06-advanced-settings.png", "masked": [region]}}
    (folder / "manifest.json").write_text(json.dumps({"screens": screens}))


def test_a_mask_with_anything_but_the_mask_colour_in_it_is_reported(tmp_path: Path) -> None:
    _capture(tmp_path / "solid" / "before", MASK_RGB)
    assert unmasked_regions(tmp_path / "solid") == []
    _capture(tmp_path / "leaky" / "before", MASK_RGB)
    png = tmp_path / "leaky" / "before" / "06-advanced-settings.png"
    with Image.open(png) as image:
        pixels = np.asarray(image.convert("RGB")).copy()
    pixels[14, 18] = (0, 0, 0)  # one dark pixel of text showing through
    Image.fromarray(pixels).save(png)
    assert unmasked_regions(tmp_path / "leaky") == [
        "before/06-advanced-settings.png secret region 10,10,20,10: 1 pixel(s) not the mask colour"
    ]


@pytest.mark.e2e
def test_a_secret_planted_in_a_real_run_folder_is_caught(robot: Robot, tmp_path: Path) -> None:
    start = robot.state()
    robot.run("--only", "crm-configuration", "--yes", "--trace")
    check_case(robot, start, Expect(ExitCode.OK, steps=("crm-configuration",)))  # clean
    assert sorted(robot.run_dirs()[-1].glob("trace*.zip")), "no trace was recorded"
    run_dir = robot.run_dirs()[-1]
    key = robot.secrets.rtdr_key
    plants: dict[str, Callable[[Path], object]] = {
        "a journal line, base64 at offset 1": lambda d: _append(
            d / "journal.jsonl",
            json.dumps(
                {"event": "debug", "blob": base64.b64encode(b"x" + key.value.encode()).decode()}
            ).encode(),
        ),
        "a log line, URL-encoded": lambda d: _append(
            d / "robot.log", b"POST /login password=" + forms(key.value)["form-encoded"]
        ),
        "a trace member, JSON-escaped": lambda d: (d / "trace-9.zip").write_bytes(
            _zip({"trace.network": b'{"postData":"' + forms(key.value)["json-escaped"] + b'"}'})
        ),
    }
    for name, plant in plants.items():
        copy = tmp_path / "planted" / name.split(",")[0].replace(" ", "-")
        shutil.copytree(run_dir, copy)
        plant(copy)
        leaks = Scanner([key]).folder(copy).leaks
        assert leaks, f"the scanner missed {name}"


def _append(path: Path, data: bytes) -> None:
    with path.open("ab") as fh:
        fh.write(data + b"\n")


def test_documents_written_with_their_secrets_on_purpose_are_caught(
    robot: Robot, tmp_path: Path
) -> None:
    """`crm-robot docs --include-secrets` writes the key and password into the JIRA text and
    the Coding Form, as asked: a real command whose output leaks, which the scanner must see."""
    out = tmp_path / "docs"
    plan, env_file = str(robot.plan_path), str(ENV_FILE)
    run = robot.crm_robot(
        "docs", plan, "--env-file", env_file, "--out", str(out), "--include-secrets"
    )
    assert run.returncode == 0, run.stderr
    leaks = Scanner(robot.secrets.canaries()).folder(out).leaks
    assert {leak.canary for leak in leaks} >= {"RTDR private key", "RTDR password"}
    clean = tmp_path / "clean-docs"
    run = robot.crm_robot("docs", plan, "--env-file", env_file, "--out", str(clean))
    assert run.returncode == 0, run.stderr
    assert_no_leaks(Scanner(robot.secrets.canaries()).folder(clean))
