"""Archives that expand far past their size, hold too many files or nest too deep are refused."""

import io

from portal.domain.uploads import ArchiveEntry, ArchiveLimits, check_archive, zip_bomb
from tests.unit.attachments.attachment_builders import nested_zip, zip_of


def test_a_few_megabytes_of_zeros_compressed_to_a_few_kilobytes_are_refused_by_their_ratio():
    bomb = zip_of({"zeros.bin": bytes(5 * 1024 * 1024)})
    assert len(bomb) < 10 * 1024
    refusal = check_archive(io.BytesIO(bomb))
    assert refusal is not None and refusal.code == "archive_too_large"


def test_an_ordinary_archive_of_logs_passes():
    archive = zip_of({"app.log": b"".join(f"line {n} ok\n".encode() for n in range(20_000)), "shot.txt": b"x"})
    assert check_archive(io.BytesIO(archive)) is None


def test_more_than_ten_thousand_entries_are_refused():
    entries = [ArchiveEntry(f"f{n}.txt", 10, 10) for n in range(10_001)]
    assert zip_bomb(entries, 200_000).code == "archive_too_many_files"


def test_many_entries_in_a_real_archive_are_refused():
    archive = zip_of({f"f{n}.txt": b"" for n in range(60)})
    assert check_archive(io.BytesIO(archive), ArchiveLimits(max_entries=50)).code == "archive_too_many_files"


def test_a_total_over_one_gigabyte_is_refused_whatever_the_ratio():
    entries = [ArchiveEntry("big.bin", 600 * 1024 * 1024, 1100 * 1024 * 1024)]
    assert zip_bomb(entries, 600 * 1024 * 1024).code == "archive_too_large"


def test_a_zip_inside_a_zip_passes_but_a_third_level_is_refused():
    assert check_archive(io.BytesIO(nested_zip(2))) is None
    assert check_archive(io.BytesIO(nested_zip(3))).code == "archive_too_deep"


def test_an_archive_that_is_not_one_is_refused_as_damaged():
    assert check_archive(io.BytesIO(b"PK\x03\x04 not really a zip")).code == "archive_damaged"
