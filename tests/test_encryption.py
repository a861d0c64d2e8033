"""Encryption at rest in the age format (DESIGN.md section 12), through the CLI, with the
real `age` command-line tool for interop."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.helpers import Result, cli, git

MARKER = "Zebra-Quokka-Marker"
NOV = "2026-11"


def age_tool(name: str = "age") -> str:
    """The real age CLI: CI installs it (.ci/run), so there a missing one fails the test."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{name} is not installed, and CI must run the interop tests")
        pytest.skip(f"the {name} command-line tool is not installed (CI installs it)")
    return found


def no_plain_text(home: Path, marker: str = MARKER) -> list[str]:
    """Every file under `home` that holds `marker` in plain form."""
    found = []
    for folder, _, names in os.walk(home):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and marker.encode() in path.read_bytes():
                found.append(str(path))
    return found


def write(*args: str) -> None:
    result = cli("write", "--free", *args)
    assert result.code == 0, result


def month(home: Path, name: str = NOV) -> Path:
    return home / "entries" / name[:4] / f"{name}.json"


def sealed(home: Path, name: str = NOV) -> Path:
    return month(home, name).with_name(f"{name}.json.age")


def texts() -> list[str]:
    result = cli("list", "--json")
    assert result.code == 0, result
    return [e["text"] for e in result.json()]


def encrypted_journal(home: Path) -> dict[str, object]:
    write(f"{MARKER} one", "--date", "2026-10-03", "--tag", f"{MARKER}tag")
    write(f"{MARKER} two", "--date", "2026-11-03", "--commit", f"{MARKER} commitment")
    assert cli("commitments").code == 0  # builds the commitments index
    result = cli("encrypt", "--json")
    assert result.code == 0, result
    data: dict[str, object] = result.json()
    return data


def test_encrypt_rewrites_every_month_as_age_and_every_command_still_reads_it(
    home: Path,
) -> None:
    data = encrypted_journal(home)
    identity = home / "identity.txt"
    assert data["encrypted"] == 2
    assert data["identity"] == str(identity)
    recipients = (home / "entries" / "recipients.txt").read_text()
    assert data["recipients"] == [line for line in recipients.splitlines() if line[:4] == "age1"]
    assert stat.S_IMODE(identity.stat().st_mode) == 0o600
    assert sealed(home).exists() and sealed(home, "2026-10").exists()
    assert not month(home).exists() and not month(home, "2026-10").exists()
    assert texts() == [f"{MARKER} one", f"{MARKER} two"]
    assert MARKER in cli("commitments").stdout
    assert MARKER in cli("show", "last").stdout
    assert cli("summary", "--week", "2026-11-03").code == 0
    assert no_plain_text(home) == []
    exported = cli("export")  # the user asking for their own words: plain text
    assert exported.code == 0 and f"{MARKER} two" in exported.stdout


def test_a_journal_stays_free_of_plain_text_through_every_command(home: Path) -> None:
    """The marker is written in entries, tags and commitments; after each command the
    whole home is searched for it (caches, backups, drafts, temp files)."""
    encrypted_journal(home)
    commands = [
        ["write", "--free", f"{MARKER} three", "--date", "2026-11-04"],
        ["commit", f"{MARKER} next", "--date", "2026-11-05"],
        ["today"],
        ["commitments", "--json"],
        ["review", "--json", "--week", "2026-11-03"],
        ["list", "--search", MARKER],
        ["edit", "last", "--text", f"{MARKER} edited"],
        ["import", str(Path(__file__).parent / "data" / "import-leadjournal.json")],
        ["doctor", "--fix"],
        ["lookback", "--date", "2027-11-03"],
        ["tags"],
        ["keys"],
        ["reflect", "after-action", "--answer", f"aim={MARKER} aim", "--date", "2026-11-06"],
        ["summary", "--weeks", "4", "--week", "2026-11-06", "--json"],
    ]
    for argv in commands:
        result = cli(*argv)
        assert result.code == 0, (argv, result)
        assert no_plain_text(home) == [], argv
        assert not list((home / "entries").rglob("*.json")), argv
    entry_id = cli("list", "--json").json()[0]["id"]
    promise = cli("commitments", "--json").json()[0]["id"]
    for argv in (
        ["show", entry_id[:6]],
        ["resolve", promise[:6], "kept"],
        ["write", "--free", f"{MARKER} last", "--date", "2026-10-04"],
        ["delete", entry_id, "--yes"],
    ):
        result = cli(*argv)
        assert result.code == 0, (argv, result)
        assert no_plain_text(home) == [], argv
    assert (home / "cache" / "sealed-ids.json").exists()


def test_an_id_written_after_the_ids_cache_was_built_is_still_found(home: Path) -> None:
    encrypted_journal(home)
    first = cli("list", "--json").json()[0]["id"]
    assert cli("show", first[:6]).code == 0  # builds cache/sealed-ids.json
    new = cli("write", "--free", "new one", "--date", "2026-11-05", "--json").json()["id"]
    shown = cli("show", new[:6], "--json")
    assert shown.code == 0 and shown.json()["text"] == "new one"


def test_the_age_cli_decrypts_a_month_file_to_the_same_json_as_a_plain_month(
    home: Path,
) -> None:
    age = age_tool()
    write(f"{MARKER} one", "--date", "2026-11-03")
    plain = month(home).read_bytes()
    assert cli("encrypt").code == 0
    out = subprocess.run(
        [age, "--decrypt", "-i", str(home / "identity.txt"), str(sealed(home))],
        capture_output=True,
        check=True,
    ).stdout
    assert out == plain
    write("a second one", "--date", "2026-11-04")
    out = subprocess.run(
        [age, "-d", "-i", str(home / "identity.txt"), str(sealed(home))],
        capture_output=True,
        check=True,
    ).stdout
    shown = {e["id"]: e for e in cli("list", "--json").json()}
    assert {e["id"]: e["text"] for e in json.loads(out)["entries"]} == {
        i: e["text"] for i, e in shown.items()
    }


@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armored"])
def test_a_month_encrypted_by_the_age_cli_to_the_journals_key_is_read(
    home: Path, armor: bool
) -> None:
    age = age_tool()
    write("this month", "--date", "2026-11-03")
    key = cli("encrypt", "--json").json()["recipients"][0]
    source = Path(__file__).parent / "data" / "v1-month-2025-06.json"
    target = sealed(home, "2025-06")
    target.parent.mkdir(mode=0o700, exist_ok=True)
    subprocess.run(
        [age, *(["-a"] if armor else []), "-r", key, "-o", str(target), str(source)], check=True
    )
    target.chmod(0o600)
    expected = [e["text"] for e in json.loads(source.read_text())["entries"]]
    assert texts() == [*expected, "this month"]


def test_keys_makes_an_identity_in_age_keygen_format_with_private_folders(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "keys" / "deep" / "id.txt"
    monkeypatch.setenv("LEADJOURNAL_IDENTITY", str(where))
    data = cli("keys", "--json").json()
    assert data["identity"] == str(where) and data["recipients"] == []
    lines = where.read_text().splitlines()
    assert lines[0].startswith("# created: ")
    assert lines[1] == f"# public key: {data['public_key']}"
    assert lines[2].startswith("AGE-SECRET-KEY-1")
    assert stat.S_IMODE(where.stat().st_mode) == 0o600
    for folder in (where.parent, where.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert cli("keys", "--json").json() == data  # never replaced


def test_an_identity_made_by_age_keygen_is_used_as_it_is(home: Path) -> None:
    keygen = age_tool("age-keygen")
    home.mkdir(mode=0o700)
    identity = home / "identity.txt"
    subprocess.run([keygen, "-o", str(identity)], check=True, capture_output=True)
    before = identity.read_bytes()
    public = subprocess.run(
        [keygen, "-y", str(identity)], check=True, capture_output=True, text=True
    ).stdout.strip()
    write("x", "--date", "2026-11-03")
    assert cli("encrypt", "--json").json()["recipients"] == [public]
    assert cli("keys", "--json").json()["public_key"] == public
    assert identity.read_bytes() == before


def test_every_identity_in_the_file_is_tried(home: Path, tmp_path: Path) -> None:
    encrypted_journal(home)
    identity = home / "identity.txt"
    other = tmp_path / "other.txt"
    os.environ["LEADJOURNAL_IDENTITY"] = str(other)
    try:
        cli("keys")  # a second identity, first in the file below
        other.write_text(other.read_text() + identity.read_text())
        assert texts() == [f"{MARKER} one", f"{MARKER} two"]
    finally:
        del os.environ["LEADJOURNAL_IDENTITY"]


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["keys", "add", "age1notakey"], 2),
        (["keys", "add", "AGE-SECRET-KEY-1XYZ"], 2),
        (["keys", "remove", "ssh-ed25519 AAAA"], 2),
    ],
)
def test_a_key_that_is_not_an_x25519_recipient_is_a_usage_error(
    home: Path, argv: list[str], code: int
) -> None:
    encrypted_journal(home)
    before = (home / "entries" / "recipients.txt").read_bytes()
    result = cli(*argv)
    assert result.code == code
    assert "age1" in result.stderr and "Traceback" not in result.stderr
    assert "AGE-SECRET-KEY-1XYZ" not in result.stderr  # a secret pasted by mistake
    assert (home / "entries" / "recipients.txt").read_bytes() == before


def test_removing_the_last_key_or_this_devices_own_key_exits_1(home: Path) -> None:
    data = encrypted_journal(home)
    own = str(data["recipients"][0])  # type: ignore[index]
    result = cli("keys", "remove", own)
    assert result.code == 1 and "decrypt" in result.stderr
    other = cli("keys", "--json").json()  # same device: same key
    assert other["public_key"] == own
    import pyrage

    second = str(pyrage.x25519.Identity.generate().to_public())
    assert cli("keys", "add", second).code == 0
    result = cli("keys", "remove", own)
    assert result.code == 1 and "this device's own key" in result.stderr
    assert cli("keys", "--json").json()["recipients"] == [own, second]


def encrypted_recipients(home: Path) -> list[str]:
    text = (home / "entries" / "recipients.txt").read_text()
    return [line.strip() for line in text.splitlines() if line.startswith("age1")]


def two_devices(home: Path, tmp_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Device A's home, and device B's whose entries/ is A's (a shared synced folder)."""
    b_home = tmp_path / "b-home"
    b_home.mkdir(mode=0o700)
    (b_home / "entries").symlink_to(home / "entries")
    return {"LEADJOURNAL_HOME": str(home)}, {"LEADJOURNAL_HOME": str(b_home)}


def as_device(env: dict[str, str], *argv: str) -> Result:
    old = os.environ["LEADJOURNAL_HOME"]
    os.environ["LEADJOURNAL_HOME"] = env["LEADJOURNAL_HOME"]
    try:
        return cli(*argv)
    finally:
        os.environ["LEADJOURNAL_HOME"] = old


def test_two_devices_read_and_write_one_encrypted_journal_and_a_removed_key_is_locked_out(
    home: Path, tmp_path: Path
) -> None:
    encrypted_journal(home)
    a, b = two_devices(home, tmp_path)
    b_key = as_device(b, "keys", "--json").json()["public_key"]
    locked = as_device(b, "list")
    assert locked.code == 0 and "cannot be decrypted" in locked.stderr
    refused = as_device(b, "write", "--free", "from b", "--date", "2026-11-05")
    assert refused.code == 1 and "keys add" in refused.stderr
    added = as_device(a, "keys", "add", b_key, "--json")
    assert added.code == 0
    assert added.json() == {"recipients": [*encrypted_recipients(home)], "reencrypted": 2}
    assert added.json()["recipients"][-1] == b_key
    assert as_device(b, "write", "--free", "from b", "--date", "2026-11-05").code == 0
    listed = as_device(a, "list", "--json").json()
    assert [e["text"] for e in listed] == [f"{MARKER} one", f"{MARKER} two", "from b"]
    assert b_key in (home / "entries" / "recipients.txt").read_text()
    removed = as_device(a, "keys", "remove", b_key, "--json")
    assert removed.code == 0, removed
    assert removed.json() == {"recipients": encrypted_recipients(home), "reencrypted": 2}
    assert b_key not in removed.json()["recipients"]
    assert as_device(a, "write", "--free", "after", "--date", "2026-12-01").code == 0
    shut = as_device(b, "list", "--json")
    assert shut.code == 0
    assert "2026-12.json.age" in shut.stderr
    assert "after" not in shut.stdout


def test_encrypt_on_a_device_that_cannot_read_the_journal_exits_1_and_changes_nothing(
    home: Path, tmp_path: Path
) -> None:
    encrypted_journal(home)
    _, b = two_devices(home, tmp_path)
    before = (home / "entries" / "recipients.txt").read_bytes()
    result = as_device(b, "encrypt")
    assert result.code == 1 and "keys add" in result.stderr
    assert (home / "entries" / "recipients.txt").read_bytes() == before


def test_without_an_identity_every_command_on_months_exits_1_saying_where_the_key_is(
    home: Path, tmp_path: Path
) -> None:
    encrypted_journal(home)
    (home / "identity.txt").rename(tmp_path / "elsewhere.txt")
    before = sealed(home).read_bytes()
    for argv in (
        ["list"],
        ["write", "--free", "x", "--date", "2026-11-09"],
        ["write", "--free", "a new month", "--date", "2027-02-09"],
        ["show", "last"],
        ["today"],
    ):
        result = cli(*argv)
        assert result.code == 1, argv
        assert str(home / "identity.txt") in result.stderr, argv
        assert "Traceback" not in result.stderr
    assert sealed(home).read_bytes() == before
    assert not (home / "entries" / "2027").exists()


def test_a_damaged_month_is_named_never_rewritten_and_the_others_still_read(home: Path) -> None:
    encrypted_journal(home)
    data = bytearray(sealed(home).read_bytes())
    data[-20] ^= 0xFF
    sealed(home).write_bytes(bytes(data))
    listed = cli("list", "--json")
    assert listed.code == 0
    assert str(sealed(home)) in listed.stderr
    assert [e["text"] for e in listed.json()] == [f"{MARKER} one"]
    result = cli("write", "--free", "more", "--date", "2026-11-20")
    assert result.code == 1 and str(sealed(home)) in result.stderr
    assert sealed(home).read_bytes() == bytes(data)
    doctor = cli("doctor", "--json")
    assert doctor.code == 1
    assert any(p["path"] == str(sealed(home)) for p in doctor.json()["problems"])
    assert cli("doctor", "--fix").code == 1
    assert sealed(home).read_bytes() == bytes(data)


def plain_month_from_an_old_device(home: Path, text: str, name: str = NOV) -> None:
    month(home, name).parent.mkdir(mode=0o700, exist_ok=True)
    month(home, name).write_text(
        json.dumps(
            {
                "format": "leadjournal",
                "version": 2,
                "entries": [
                    {
                        "id": "0123456789abcdef",
                        "created_at": f"{name}-10T09:00:00+01:00",
                        "updated_at": f"{name}-10T09:00:00+01:00",
                        "theme": None,
                        "prompt_id": None,
                        "prompt": None,
                        "text": text,
                        "tags": [],
                    }
                ],
            }
        )
    )
    month(home, name).chmod(0o600)


@pytest.mark.parametrize("name", [NOV, "2026-12"], ids=["beside-its-age-file", "alone"])
@pytest.mark.parametrize("how", ["save", "doctor-fix"])
def test_a_plain_month_beside_encrypted_ones_is_read_then_encrypted_and_removed(
    home: Path, how: str, name: str
) -> None:
    encrypted_journal(home)
    plain_month_from_an_old_device(home, f"{MARKER} old device", name)
    listed = cli("list", "--json")
    assert f"{MARKER} old device" in [e["text"] for e in listed.json()]
    if name == NOV:
        assert str(month(home)) in listed.stderr
    report = cli("doctor", "--json").json()
    assert [p["kind"] for p in report["problems"]] == ["other-form"]
    assert cli("doctor").code == 1
    if how == "save":
        write("later", "--date", f"{name}-11")
    else:
        assert cli("doctor", "--fix").code == 0
    assert not month(home, name).exists()
    assert sealed(home, name).exists()
    assert texts() == [f"{MARKER} one", f"{MARKER} two", f"{MARKER} old device"] + (
        ["later"] if how == "save" else []
    )
    assert no_plain_text(home) == []
    assert cli("doctor").code == 0


CONFLICT_NAMES = [
    "2026-11.json.sync-conflict-20261106-101010-ABCDEFG.age",
    "2026-11.json (MacBook's conflicted copy 2026-11-06).age",
    "2026-11.sync-conflict-20261106-101010-ABCDEFG.json.age",
    "2026-11 (MacBook's conflicted copy 2026-11-06).json.age",
]


@pytest.mark.parametrize("name", CONFLICT_NAMES)
def test_a_conflict_copy_of_an_encrypted_month_is_read_and_merged_by_doctor_fix(
    home: Path, name: str
) -> None:
    encrypted_journal(home)
    main = sealed(home)
    kept = main.read_bytes()
    write(f"{MARKER} on the other device", "--date", "2026-11-12")
    main.rename(main.with_name(name))
    main.write_bytes(kept)
    main.chmod(0o600)
    assert f"{MARKER} on the other device" in texts()
    assert cli("doctor", "--fix").code == 0
    assert not main.with_name(name).exists()
    assert f"{MARKER} on the other device" in texts()
    assert no_plain_text(home) == []


def test_doctor_fix_keeps_backups_encrypted(home: Path) -> None:
    encrypted_journal(home)
    copy = month(home).with_name("2026-11.sync-conflict-20261106-101010-ABCDEFG.json")
    plain_month_from_an_old_device(home, f"{MARKER} in a plain copy")
    month(home).rename(copy)
    assert cli("doctor", "--fix").code == 0
    assert f"{MARKER} in a plain copy" in texts()
    backups = [p for p in (home / "backups").rglob("*") if p.is_file()]
    assert backups and all(p.name.endswith(".age") for p in backups)
    assert no_plain_text(home) == []


def test_decrypt_turns_the_journal_back_into_plain_json(home: Path) -> None:
    encrypted_journal(home)
    result = cli("decrypt", "--json")
    assert result.code == 0 and result.json() == {"decrypted": 2}
    assert month(home).exists() and not sealed(home).exists()
    assert not (home / "entries" / "recipients.txt").exists()
    assert MARKER in month(home).read_text()
    assert texts() == [f"{MARKER} one", f"{MARKER} two"]
    write("plain again", "--date", "2026-11-15")
    assert "plain again" in month(home).read_text()


def test_encrypt_and_decrypt_say_how_many_files_in_words(home: Path) -> None:
    write("one", "--date", "2026-11-03")
    encrypted = cli("encrypt")
    assert encrypted.code == 0, encrypted
    assert "Encrypted 1 file with age" in encrypted.stdout
    write("two", "--date", "2026-10-03")
    decrypted = cli("decrypt")
    assert decrypted.code == 0, decrypted
    assert "Decrypted 2 files;" in decrypted.stdout
    assert "(s)" not in encrypted.stdout + decrypted.stdout


def test_an_interrupted_encrypt_is_finished_by_running_it_again(home: Path) -> None:
    """A crash after the encrypted file was durable but before the plain one was
    removed leaves both; the next run keeps the union and removes the plain file."""
    write(f"{MARKER} one", "--date", "2026-11-03")
    plain = month(home).read_bytes()
    assert cli("encrypt").code == 0
    write("written after", "--date", "2026-11-04")
    month(home).write_bytes(plain)
    month(home).chmod(0o600)
    again = cli("encrypt", "--json")
    assert again.code == 0 and again.json()["encrypted"] == 1
    assert not month(home).exists()
    assert texts() == [f"{MARKER} one", "written after"]


def test_an_interrupted_decrypt_is_finished_by_running_it_again(home: Path) -> None:
    encrypted_journal(home)
    (home / "entries" / "recipients.txt").unlink()  # decrypt's first step, then a crash
    assert texts() == [f"{MARKER} one", f"{MARKER} two"]
    assert cli("decrypt", "--json").json() == {"decrypted": 2}
    assert not list((home / "entries").rglob("*.age"))


def test_keys_add_reencrypts_every_month_conflict_copies_and_backups(home: Path) -> None:
    encrypted_journal(home)
    main = sealed(home)
    main.with_name(CONFLICT_NAMES[0]).write_bytes(main.read_bytes())
    backup = home / "backups" / "x" / "entries" / "2026" / "2026-10.json.age"
    backup.parent.mkdir(parents=True)
    backup.write_bytes(sealed(home, "2026-10").read_bytes())
    import pyrage

    other = pyrage.x25519.Identity.generate()
    result = cli("keys", "add", str(other.to_public()), "--json")
    assert result.code == 0 and result.json()["reencrypted"] == 4
    for path in (main, main.with_name(CONFLICT_NAMES[0]), backup):
        assert MARKER.encode() in pyrage.decrypt(path.read_bytes(), [other])


def test_an_interrupted_keys_add_is_finished_by_running_it_again(home: Path) -> None:
    """A run that stopped after recipients.txt changed, before the months were
    re-encrypted: the same `keys add` re-encrypts them all."""
    import pyrage

    encrypted_journal(home)
    other = pyrage.x25519.Identity.generate()
    recipients = home / "entries" / "recipients.txt"
    recipients.write_text(recipients.read_text() + f"{other.to_public()}\n")
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(sealed(home).read_bytes(), [other])
    again = cli("keys", "add", str(other.to_public()), "--json")
    assert again.code == 0 and again.json()["reencrypted"] == 2
    assert MARKER.encode() in pyrage.decrypt(sealed(home).read_bytes(), [other])


def test_encrypt_warns_that_git_history_keeps_the_plain_text(home: Path) -> None:
    write(f"{MARKER} one", "--date", "2026-11-03")
    entries = home / "entries"
    git(entries, "init", "-q")
    git(entries, "add", ".")
    git(entries, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")
    result = cli("encrypt")
    assert result.code == 0
    assert "history" in result.stderr and "plain text" in result.stderr


def test_merge_month_unites_two_encrypted_versions_and_writes_the_union_encrypted(
    home: Path, tmp_path: Path
) -> None:
    encrypted_journal(home)
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.write_bytes(sealed(home).read_bytes())
    write(f"{MARKER} theirs", "--date", "2026-11-07")
    theirs.write_bytes(sealed(home).read_bytes())
    write(f"{MARKER} later", "--date", "2026-11-08")
    sealed(home).write_bytes(ours.read_bytes())  # ours lacks both new entries
    result = cli("merge-month", "", str(ours), str(theirs))
    assert result.code == 0, result
    assert ours.read_bytes().startswith(b"age-encryption.org/")
    shutil.copy(ours, sealed(home))
    assert f"{MARKER} theirs" in texts()


def test_merge_month_of_an_encrypted_version_without_the_key_leaves_ours_as_it_was(
    home: Path, tmp_path: Path
) -> None:
    encrypted_journal(home)
    ours = tmp_path / "ours"
    ours.write_bytes(sealed(home).read_bytes())
    before = ours.read_bytes()
    (home / "identity.txt").rename(tmp_path / "gone.txt")
    result = cli("merge-month", "", str(ours), str(ours))
    assert result.code == 1
    assert ours.read_bytes() == before


@pytest.mark.usefixtures("own_git")
def test_sync_unites_a_month_one_device_encrypted_while_another_wrote_it_plain(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two real git clones: the laptop encrypts while the desktop writes in the same plain
    month; the desktop's sync merges both into the encrypted form, and both devices read
    every entry."""
    git(tmp_path, "init", "--bare", "--quiet", "remote.git")
    devices = {}
    for name in ("laptop", "desktop"):
        device = tmp_path / name
        device.mkdir(mode=0o700)
        git(device, "clone", "--quiet", str(tmp_path / "remote.git"), "entries")
        devices[name] = device

    def on(name: str, *argv: str) -> Result:
        monkeypatch.setenv("LEADJOURNAL_HOME", str(devices[name]))
        return cli(*argv)

    assert on("laptop", "sync", "--setup").code == 0
    assert on("laptop", "write", "--free", f"{MARKER} first", "--date", "2026-11-03").code == 0
    assert on("laptop", "sync").code == 0
    assert on("desktop", "sync", "--setup").code == 0
    assert on("desktop", "sync").code == 0
    desktop_key = on("desktop", "keys", "--json").json()["public_key"]
    assert on("laptop", "encrypt").code == 0
    assert on("laptop", "keys", "add", desktop_key).code == 0
    assert on("laptop", "sync").code == 0
    assert on("desktop", "write", "--free", f"{MARKER} desktop", "--date", "2026-11-04").code == 0
    synced = on("desktop", "sync", "--json")
    assert synced.code == 0, synced
    desktop = devices["desktop"] / "entries" / "2026"
    assert not (desktop / "2026-11.json").exists()
    assert (desktop / "2026-11.json.age").exists()
    assert git(devices["desktop"] / "entries", "status", "--porcelain").stdout == ""
    assert on("laptop", "sync").code == 0
    for name in devices:
        shown = [e["text"] for e in on(name, "list", "--json").json()]
        assert shown == [f"{MARKER} first", f"{MARKER} desktop"], name
    # Both write the same encrypted month: git's merge driver unites the .json.age files.
    assert on("laptop", "write", "--free", "laptop again", "--date", "2026-11-06").code == 0
    assert on("desktop", "write", "--free", "desktop again", "--date", "2026-11-07").code == 0
    assert on("laptop", "sync").code == 0
    assert on("desktop", "sync").code == 0
    assert on("laptop", "sync").code == 0
    for name in devices:
        shown = [e["text"] for e in on(name, "list", "--json").json()]
        assert shown[-2:] == ["laptop again", "desktop again"], name
        assert (devices[name] / "entries" / "2026" / "2026-11.json.age").read_bytes()[:4] == b"age-"
    assert no_plain_text(devices["laptop"] / "entries" / "2026") == []


def an_editor(tmp_path: Path, appended: str) -> str:
    """An $EDITOR that appends `appended` to the file it is given."""
    import sys

    script = tmp_path / "editor.py"
    script.write_text(
        f"import sys\nopen(sys.argv[1], 'a', encoding='utf-8').write({appended!r})\n", "utf-8"
    )
    return f"{sys.executable} {script}"


def write_in_the_editor(editor: str, day: str) -> subprocess.CompletedProcess[bytes]:
    """`write --free` as a real process with a terminal (a pty) as standard input, so the
    editor opens."""
    import sys

    master, slave = os.openpty()
    try:
        return subprocess.run(
            [sys.executable, "-m", "leadjournal", "write", "--free", "--date", day],
            stdin=slave,
            capture_output=True,
            env={**os.environ, "EDITOR": editor},
            timeout=60,
        )
    finally:
        os.close(master)
        os.close(slave)


def test_an_editor_draft_is_deleted_after_a_save_and_kept_0600_only_when_it_fails(
    home: Path, tmp_path: Path
) -> None:
    encrypted_journal(home)
    editor = an_editor(tmp_path, f"\n{MARKER} from the editor\n")
    assert write_in_the_editor(editor, "2026-10-20").returncode == 0
    assert f"{MARKER} from the editor" in texts()
    assert list(home.glob(".draft-*")) == []
    assert no_plain_text(home) == []
    sealed(home).write_bytes(b"age-encryption.org/v1\ndamaged")
    failed = write_in_the_editor(editor, "2026-11-20")
    assert failed.returncode == 1
    (draft,) = home.glob(".draft-*.md")
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert MARKER in draft.read_text()
    assert MARKER.encode() not in failed.stderr


def test_the_identity_is_never_put_inside_entries(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("x", "--date", "2026-11-03")
    monkeypatch.setenv("LEADJOURNAL_IDENTITY", str(home / "entries" / "identity.txt"))
    result = cli("encrypt")
    assert result.code == 1 and "entries/" in result.stderr
    assert not (home / "entries" / "identity.txt").exists()
    assert month(home).exists() and not sealed(home).exists()


def test_completion_and_show_find_ids_inside_encrypted_months(home: Path) -> None:
    encrypted_journal(home)
    entry_id = cli("list", "--json").json()[0]["id"]
    shown = cli("show", entry_id[:6], "--json")
    assert shown.code == 0 and shown.json()["id"] == entry_id
    from leadjournal import store

    assert entry_id in {e["id"] for e in store.raw_entries_newest_month_first()}


def test_without_a_journal_home_the_identity_lives_in_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LEADJOURNAL_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    data = cli("keys", "--json").json()
    assert data["identity"] == str(tmp_path / "config" / "leadjournal" / "identity.txt")
    assert stat.S_IMODE(Path(data["identity"]).stat().st_mode) == 0o600


def test_encrypt_also_encrypts_conflict_copies_and_backups(home: Path) -> None:
    write(f"{MARKER} one", "--date", "2026-11-03")
    copy = month(home).with_name("2026-11 (MacBook's conflicted copy 2026-11-06).json")
    shutil.copy(month(home), copy)
    backup = home / "backups" / "20261101-101010" / "entries" / "2026" / "2026-11.json"
    backup.parent.mkdir(parents=True)
    shutil.copy(month(home), backup)
    result = cli("encrypt", "--json")
    assert result.code == 0 and result.json()["encrypted"] == 3
    assert copy.with_name(copy.name + ".age").exists() and not copy.exists()
    assert backup.with_name("2026-11.json.age").exists() and not backup.exists()
    assert no_plain_text(home) == []
    assert texts() == [f"{MARKER} one"]


# The commitments index: what section 12 lets a cache hold in plain form (ids, dates,
# statuses, counts, hashes) stays plain so that reading it costs no decryption; what holds
# commitment text is sealed.
PLAIN_INDEX = {
    "commitments.json",
    "commitments-tally.json",
    "commitments-days.json",
    "commitments-ids.json",
}


def test_the_commitments_index_seals_every_file_with_text_and_keeps_the_rest_free_of_it(
    home: Path,
) -> None:
    encrypted_journal(home)
    promise = cli("commitments", "--json").json()[0]
    for argv in (
        ["commit", f"{MARKER} another", "--date", "2026-11-05", "--due", "2026-11-06"],
        ["resolve", promise["id"][:6], "kept", "--note", f"{MARKER} note"],
        ["today"],
        ["summary", "--json", "--week", "2026-11-05"],
    ):
        result = cli(*argv)
        assert result.code == 0, (argv, result)
    files = {item.name: item.read_bytes() for item in (home / "cache").glob("commitments*")}
    assert set(files) >= PLAIN_INDEX
    for name, data in files.items():
        if name in PLAIN_INDEX:
            assert MARKER.encode() not in data and b"note" not in data, name
            json.loads(data)
        else:
            assert data.startswith(b"age-encryption.org/"), name
    assert no_plain_text(home) == []
    assert f"{MARKER} another" in cli("today").stdout


def test_a_plain_cache_left_from_before_encryption_is_replaced_by_an_encrypted_one(
    home: Path, tmp_path: Path
) -> None:
    """Another device encrypted the journal; this one's commitments index still holds
    commitment text in plain form: the next command removes it and rebuilds it sealed."""
    write("x", "--date", "2026-11-03", "--commit", f"{MARKER} promise")
    assert cli("commitments").code == 0
    kept = tmp_path / "old-cache"
    shutil.copytree(home / "cache", kept)
    assert cli("encrypt").code == 0
    shutil.rmtree(home / "cache")
    shutil.copytree(kept, home / "cache")
    assert no_plain_text(home) != []
    # `today` reads the plain head alone (and one shard): the head says it was written
    # for a plain journal, so the whole index is rebuilt, every text-bearing file sealed.
    assert cli("today").code == 0
    assert no_plain_text(home) == []
    shown = cli("commitments")
    assert shown.code == 0 and f"{MARKER} promise" in shown.stdout
    assert no_plain_text(home) == []


def test_encrypt_moves_a_plain_temp_file_left_by_a_crash_into_backups_encrypted(
    home: Path,
) -> None:
    write(f"{MARKER} one", "--date", "2026-11-03")
    stray = month(home).with_name(".2026-11.json.0123abcd.tmp")
    shutil.copy(month(home), stray)
    assert cli("encrypt").code == 0
    assert not stray.exists()
    (kept,) = (home / "backups").rglob("*.age")
    assert kept.name == "2026-11.json.0123abcd.tmp.age"
    assert no_plain_text(home) == []
    assert cli("doctor").code == 0


def test_a_bad_line_in_recipients_txt_is_named_and_nothing_is_saved(home: Path) -> None:
    encrypted_journal(home)
    recipients = home / "entries" / "recipients.txt"
    recipients.write_text(recipients.read_text() + "age1bogus\n")
    before = sealed(home).read_bytes()
    result = cli("write", "--free", "two", "--date", "2026-11-04")
    assert result.code == 1
    assert "recipients.txt" in result.stderr and "age1bogus" in result.stderr
    assert "unexpected" not in result.stderr
    assert sealed(home).read_bytes() == before
    assert cli("list").code == 0
