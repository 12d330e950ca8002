"""`haven compile_translations [--check]`: build and check the gettext catalogues.

Compiles every `.po` file under the directories in `LOCALE_PATHS` to its `.mo` with polib
(pure Python), so a machine without GNU gettext can build Haven (`make messages`). As with
GNU msgfmt, fuzzy and untranslated entries are left out of the `.mo`.

`--check` changes nothing and exits non-zero, naming each problem, when:
- a `.mo` is missing, has no `.po`, or does not hold what its `.po` compiles to (compared
  entry by entry and header by header, so file times and the compiler used do not matter);
- a catalogue for a language other than the source language (English) has an untranslated
  or fuzzy entry, a plural entry with the wrong number of forms, or a translation whose
  %-placeholders do not fit its msgid.

Refresh after changing marked strings (from src/haven, so the package is scanned):
    haven makemessages -l vi --no-location --no-obsolete
    (translate the new entries, remove `fuzzy` flags)
    haven compile_translations && haven compile_translations --check
"""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SOURCE_LANGUAGE = "en"
# Header fields that only record when the catalogue was made; gettext lookups never read them.
VOLATILE_HEADERS = {"POT-Creation-Date", "PO-Revision-Date"}
# %s, %(name)s, %05.2f… (no space flag: "100% các" is text, not a placeholder).
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0+-]*\d*(?:\.\d+)?[sdifgeExXcro]")
NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def po_files(locale_dirs=None) -> list[Path]:
    """Every `.po` file under the locale directories (`LOCALE_PATHS` by default)."""
    dirs = settings.LOCALE_PATHS if locale_dirs is None else locale_dirs
    return sorted(p for d in dirs for p in Path(d).glob("**/LC_MESSAGES/*.po"))


def _mo_files(locale_dirs=None) -> list[Path]:
    dirs = settings.LOCALE_PATHS if locale_dirs is None else locale_dirs
    return sorted(p for d in dirs for p in Path(d).glob("**/LC_MESSAGES/*.mo"))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _language(po_path: Path) -> str:
    """The language code of a catalogue: `<locale dir>/<lang>/LC_MESSAGES/<domain>.po`."""
    return po_path.parent.parent.name


def _entry_key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _entry_value(entry) -> tuple:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def _headers(metadata: dict) -> dict:
    return {k.strip(): v.strip() for k, v in metadata.items() if k.strip() not in VOLATILE_HEADERS}


def compiled_content(catalogue) -> tuple[dict, dict]:
    """What a compiled catalogue holds: (headers, {(context, msgid, plural): translations})."""
    entries = catalogue.translated_entries() if isinstance(catalogue, polib.POFile) else catalogue
    return _headers(catalogue.metadata), {_entry_key(e): _entry_value(e) for e in entries}


def stale_catalogues(locale_dirs=None) -> list[str]:
    """Problems with the `.mo` files: missing, without a `.po`, or not matching their `.po`."""
    problems = []
    pos = po_files(locale_dirs)
    for po_path in pos:
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            problems.append(f"{_shown(mo_path)}: missing; compile {_shown(po_path)}")
            continue
        try:
            compiled = compiled_content(polib.mofile(str(mo_path)))
        except (OSError, ValueError) as exc:
            problems.append(f"{_shown(mo_path)}: unreadable ({exc})")
            continue
        expected = compiled_content(polib.pofile(str(po_path)))
        if compiled != expected:
            problems.append(
                f"{_shown(mo_path)}: out of date with {_shown(po_path)} "
                f"({_difference(expected, compiled)})"
            )
    po_set = {p.with_suffix(".mo") for p in pos}
    problems += [
        f"{_shown(mo)}: has no .po file" for mo in _mo_files(locale_dirs) if mo not in po_set
    ]
    return problems


def _difference(expected: tuple[dict, dict], compiled: tuple[dict, dict]) -> str:
    (exp_headers, exp_entries), (got_headers, got_entries) = expected, compiled
    parts = []
    missing = exp_entries.keys() - got_entries.keys()
    extra = got_entries.keys() - exp_entries.keys()
    changed = {
        k for k in exp_entries.keys() & got_entries.keys() if exp_entries[k] != got_entries[k]
    }
    for label, keys in (
        ("not yet in the .mo", missing),
        ("no longer in the .po", extra),
        ("changed", changed),
    ):
        if keys:
            sample = ", ".join(repr(k[1]) for k in sorted(keys)[:3])
            parts.append(f"{len(keys)} {label}: {sample}{'…' if len(keys) > 3 else ''}")
    if exp_headers != got_headers:
        fields = sorted(
            k
            for k in exp_headers.keys() | got_headers.keys()
            if exp_headers.get(k) != got_headers.get(k)
        )
        parts.append("header " + ", ".join(fields))
    return "; ".join(parts) or "content differs"


def _placeholders(text: str) -> tuple[set[str], int]:
    """(named placeholders, count of positional ones) in a %-format string."""
    names, positional = set(), 0
    for match in PLACEHOLDER.finditer(text.replace("%%", "")):
        if match.group(1):
            names.add(match.group(1))
        else:
            positional += 1
    return names, positional


def _placeholder_problem(entry) -> str | None:
    """Why a translation would fail or lose data when formatted, or None if it fits."""
    if "python-format" not in entry.flags:
        return None
    wanted_names, wanted_count = _placeholders(entry.msgid)
    if entry.msgid_plural:
        plural_names, _count = _placeholders(entry.msgid_plural)
        wanted_names |= plural_names
        translations = [s for s in entry.msgstr_plural.values() if s]
    else:
        translations = [entry.msgstr] if entry.msgstr else []
    for text in translations:
        names, count = _placeholders(text)
        # A plural form may leave out a name ("one case"); an unknown name fails at runtime.
        if names - wanted_names or (not entry.msgid_plural and names != wanted_names):
            return f"placeholders {sorted(names)} do not match {sorted(wanted_names)}"
        if count != wanted_count:
            return f"{count} positional placeholders, msgid has {wanted_count}"
    return None


def incomplete_entries(locale_dirs=None) -> list[str]:
    """Untranslated, fuzzy or malformed entries of the catalogues that must be complete."""
    problems = []
    for po_path in po_files(locale_dirs):
        if _language(po_path).split("_")[0] == SOURCE_LANGUAGE:
            continue
        po = polib.pofile(str(po_path))
        shown = _shown(po_path)
        if po.metadata_is_fuzzy:
            problems.append(f"{shown}: the header is marked fuzzy")
        nplurals = NPLURALS.search(po.metadata.get("Plural-Forms", ""))
        for entry in po:
            if entry.obsolete:
                continue
            label = repr(entry.msgid) + (f" (context {entry.msgctxt!r})" if entry.msgctxt else "")
            if entry.fuzzy:
                problems.append(f"{shown}: fuzzy: {label}")
                continue
            if entry.msgid_plural and nplurals:
                forms = set(entry.msgstr_plural)
                if forms != set(range(int(nplurals.group(1)))):
                    problems.append(
                        f"{shown}: plural forms {sorted(forms)} but the header says "
                        f"nplurals={nplurals.group(1)}: {label}"
                    )
                    continue
            if not entry.translated():
                problems.append(f"{shown}: untranslated: {label}")
                continue
            problem = _placeholder_problem(entry)
            if problem:
                problems.append(f"{shown}: {problem}: {label}")
    return problems


def check(locale_dirs=None) -> list[str]:
    """Every problem `--check` reports; empty when the catalogues are complete and compiled."""
    if not po_files(locale_dirs):
        dirs = settings.LOCALE_PATHS if locale_dirs is None else locale_dirs
        return [f"no .po catalogue under {', '.join(map(str, dirs)) or 'LOCALE_PATHS'}"]
    return stale_catalogues(locale_dirs) + incomplete_entries(locale_dirs)


def compile_catalogues(locale_dirs=None) -> list[Path]:
    """Write each `.mo` whose content differs from what its `.po` compiles to; return them."""
    written = []
    for po_path in po_files(locale_dirs):
        data = polib.pofile(str(po_path)).to_binary()
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.read_bytes() != data:
            mo_path.write_bytes(data)
            written.append(mo_path)
    return written


class Command(BaseCommand):
    # Only files are read and written: no need for (or risk from) the project's system checks.
    requires_system_checks = []
    help = (
        "Compile the .po catalogues under LOCALE_PATHS to .mo files (pure Python). "
        "--check: change nothing; fail if a .mo is missing or out of date, or a "
        "translation is missing or fuzzy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Report stale or missing .mo files and incomplete translations; exit 1 if any.",
        )

    def handle(self, *args, **options):
        if options["check"]:
            problems = check()
            for problem in problems:
                self.stderr.write(problem)
            if problems:
                raise CommandError(
                    f"{len(problems)} problem(s) in the translation catalogues: translate the "
                    "entries named above (and clear their fuzzy flags), then run "
                    "`haven compile_translations`."
                )
            self.stdout.write(f"{len(po_files())} catalogue(s) compiled and complete.")
            return
        written = compile_catalogues()
        for mo_path in written:
            self.stdout.write(f"Compiled {_shown(mo_path)}")
        self.stdout.write(f"{len(po_files())} catalogue(s), {len(written)} written.")
        for problem in incomplete_entries():
            self.stderr.write(f"warning: {problem}")
