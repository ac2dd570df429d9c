"""Hostile file names become safe ones: no folders, traversal, control characters or reserved names."""

from portal.domain.uploads import MAX_NAME_LENGTH, safe_file_name


def test_a_traversal_keeps_only_the_last_name():
    assert safe_file_name("../../etc/passwd") == "passwd"


def test_a_windows_path_keeps_only_the_file_name():
    assert safe_file_name("C:\\x\\y.pdf") == "y.pdf"


def test_a_reserved_windows_name_is_prefixed_whatever_its_case_or_extension():
    assert safe_file_name("CON.txt") == "_CON.txt"
    assert safe_file_name("lpt1.log") == "_lpt1.log"
    assert safe_file_name("console.txt") == "console.txt"


def test_nul_and_control_characters_are_dropped():
    assert safe_file_name("rep\x00ort\x07.pdf") == "report.pdf"


def test_a_right_to_left_override_cannot_disguise_the_extension():
    assert safe_file_name("invoice\u202efdp.exe") == "invoicefdp.exe"


def test_a_very_long_name_is_cut_to_120_characters_and_keeps_its_extension():
    name = safe_file_name("a" * 500 + ".pdf")
    assert len(name) == MAX_NAME_LENGTH and name.endswith("a.pdf")


def test_leading_dots_go_and_a_name_is_never_empty():
    assert safe_file_name(".htaccess") == "file.htaccess"
    assert safe_file_name("..") == "file"
    assert safe_file_name("") == "file"
    assert safe_file_name("  ") == "file"


def test_a_readable_unicode_name_is_kept():
    assert safe_file_name("Plan d'étage – Zürich 2.dwg") == "Plan d'étage – Zürich 2.dwg"


def test_characters_windows_forbids_become_underscores():
    assert safe_file_name('a<b>c:"d|e?f*.txt') == "a_b_c__d_e_f_.txt"
