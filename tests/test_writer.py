"""The one writer: whole files or nothing, modes kept, read-only refused."""

from __future__ import annotations

import os

import pytest
from seedpress.writer import WriteError, copy_atomic, ensure_all_writable, write_atomic


def test_a_new_file_and_a_rewrite_keep_the_mode(tmp_path):
    path = tmp_path / "a" / "note.txt"
    write_atomic(path, "one\n")
    assert path.read_text() == "one\n" and path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o640)
    write_atomic(path, b"two\n")
    assert path.read_text() == "two\n" and path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["note.txt"]


def test_a_read_only_file_is_refused_even_for_root(tmp_path):
    path = tmp_path / "locked.md"
    path.write_text("keep me\n")
    path.chmod(0o444)
    with pytest.raises(WriteError, match="read-only"):
        write_atomic(path, "changed\n")
    assert path.read_text() == "keep me\n"
    with pytest.raises(WriteError, match="read-only"):
        ensure_all_writable([tmp_path / "new.md", path])
    assert not (tmp_path / "new.md").exists()


def test_a_failed_verification_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "data.json"
    path.write_text("{}\n")

    def refuse(tmp):
        raise ValueError("not what we meant")

    with pytest.raises(ValueError):
        write_atomic(path, "[]\n", verify=refuse)
    assert path.read_text() == "{}\n"
    assert os.listdir(tmp_path) == ["data.json"]


def test_names_too_long_and_folders_that_are_files_are_clear_errors(tmp_path):
    with pytest.raises(WriteError, match="too long"):
        write_atomic(tmp_path / ("x" * 300 + ".md"), "text\n")
    (tmp_path / "file").write_text("")
    with pytest.raises(WriteError) as err:
        write_atomic(tmp_path / "file" / "inside.md", "text\n")
    assert "file" in str(err.value)
    with pytest.raises(WriteError, match="not a regular file"):
        write_atomic(tmp_path, "text\n")


def test_copy_atomic_copies_whole(tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(os.urandom(3 << 20))
    dest = tmp_path / "out" / "dest.bin"
    copy_atomic(src, dest)
    assert dest.read_bytes() == src.read_bytes()
