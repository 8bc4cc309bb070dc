"""`./dev serve` (mkdocs serve --dirty) rebuilds only the pages an edit can change, and the served
site stays byte-identical to a full `mkdocs build` (tests/site/test_serve.py compares them).

MkDocs' dirty build skips a page whose Markdown file is older than its output, which misses an
edited snippet, and Material's search index then lists the rebuilt page last. Here a page is
rebuilt when any file its last build opened changed (its Markdown, the snippets it includes,
whatever a hook read for it, found with an audit hook rather than by parsing `--8<--` lines),
or when it links to an anchor of a rebuilt page (so that anchor warnings still show). Any other
change (mkdocs.yml, overrides/, assets, a page added or removed) rebuilds everything. The search
index is put back together in page order from each page's last entries. Kept between builds:
Jinja's compiled templates (keyed by their source) and the list of the theme's files. inotify
replaces MkDocs' polling. Only `mkdocs serve --dirty` turns any of this on; `mkdocs build`
(the published and offline editions) does all the work, as without the hook.
"""

import hashlib
import logging
import os
import pathlib
import sys
import time

import jinja2
import watchdog.events as events
import watchdog.observers
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.theme import Theme
from mkdocs.utils import clean_directory

log = logging.getLogger("mkdocs.hooks.incremental_serve")

SERVING = ACTIVE = False
# Between builds: content hash of every watched file, and per page (src_uri) the files its
# build opened, the pages it links anchors of, and its search index entries.
stamps: dict[str, str] = {}
opened: dict[str, set[str]] = {}
links_to: dict[str, set[str]] = {}
entries: dict[str, list] = {}
order: list[str] = []
# This build: the page whose files are being recorded, what is rebuilt, where search stood.
current: str | None = None
rebuilt: set[str] = set()
full = True
search_before = 0
# Numbered, so that no two lines are alike (MkDocs' log drops a repeated line).
builds = 0
started = 0.0


class KeepCompiled(jinja2.BytecodeCache):
    """Jinja compiles Material's templates afresh for every build: a quarter of its time."""

    def __init__(self):
        self.compiled: dict[tuple[str, str], bytes] = {}

    def load_bytecode(self, bucket):
        if code := self.compiled.get((bucket.key, bucket.checksum)):
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.compiled[(bucket.key, bucket.checksum)] = bucket.bytecode_to_string()


COMPILED = KeepCompiled()
MKDOCS_GET_ENV = Theme.get_env
MKDOCS_THEME_FILES = Files.add_files_from_theme
listed: dict[tuple, list[tuple[str, str]]] = {}


def get_env(theme):
    """Every environment MkDocs makes, Material's search plugin's three included."""
    env = MKDOCS_GET_ENV(theme)
    env.bytecode_cache = COMPILED
    return env


def add_files_from_theme(files, env, config):
    """Material ships some 14,000 files (its icons), and MkDocs walks them all on each build to
    find its assets: the list is kept while the theme's folders hold the same file names."""
    custom = config.theme.custom_dir
    names = sorted(str(p) for p in pathlib.Path(custom).rglob("*")) if custom else []
    key = (tuple(config.theme.dirs), tuple(names))
    if key not in listed:
        found = Files([])
        MKDOCS_THEME_FILES(found, env, config)
        listed[key] = [(file.src_uri, file.src_dir) for file in found]
    for path, folder in listed[key]:
        if files.get_file_from_path(path) is None:  # pages and docs/ assets come first
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))


def record_open(event, args):
    if current is not None and event == "open" and isinstance(args[0], str):
        opened[current].add(os.path.abspath(args[0]))


class NotDirty(logging.Filter):
    """MkDocs warns that dirty builds get navigation wrong; these do not."""

    def filter(self, record):
        return "'dirty' build" not in record.getMessage()


def on_startup(command, dirty):
    global SERVING, ACTIVE
    SERVING = command == "serve"
    ACTIVE = SERVING and dirty
    if ACTIVE:
        sys.addaudithook(record_open)
        Theme.get_env = get_env
        Files.add_files_from_theme = add_files_from_theme
        logging.getLogger("mkdocs.commands.build").addFilter(NotDirty())


class Writes(watchdog.observers.Observer):
    """inotify, reporting the writes to watched files, not the reads a build makes of them."""

    kinds = [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileClosedEvent,
        events.FileMovedEvent,
        events.FileDeletedEvent,
    ]

    def schedule(self, handler, path, *, recursive=False, **kwargs):
        return super().schedule(handler, path, recursive=recursive, event_filter=self.kinds)


def on_serve(server, config, builder):
    """MkDocs polls every watched file twice a second and waits 0.1 s for a save to settle:
    inotify reports the save at once (the watches made after this event use it too)."""
    if ACTIVE:
        paths = [config.docs_dir, config.config_file_path]
        for path in paths:
            server.unwatch(path)
        server.observer = Writes()
        for path in paths:
            server.watch(path)
        server.build_delay = 0.05
    return server


def watched(config) -> dict[str, str]:
    roots = [config.docs_dir, *config.watch, config.theme.custom_dir or ""]
    config_file = os.path.abspath(config.config_file_path)  # relative in the first build's config
    found = {config_file: digest(config_file)}
    for root in filter(None, roots):
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith((".", "__"))]
            for name in names:
                path = os.path.join(folder, name)
                found[os.path.abspath(path)] = digest(path)
    return found


def digest(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.blake2b(file.read(), digest_size=16).hexdigest()


def on_env(env, config, files):
    if ACTIVE:
        in_page_order(config)
    return env


def in_page_order(config):
    """The search plugin's index: every page's last entries in page order, as a full build has
    them (its own dirty mode puts the rebuilt page last)."""
    plugin = search(config)
    plugin.search_index_prev = None
    plugin.search_index.entries = [e for uri in order for e in entries.get(uri, [])]


@event_priority(100)
def on_config(config):
    global builds, started
    builds, started = builds + 1, time.perf_counter()
    return config


@event_priority(100)
def on_files(files, config):
    """Decide which pages this build writes (is_modified is what a dirty build asks)."""
    global full, rebuilt, current, order
    if not ACTIVE:
        return files
    current = None
    now = watched(config)
    changed = {p for p in now.keys() | stamps.keys() if now.get(p) != stamps.get(p)}
    pages = {f.src_uri: f for f in files.documentation_pages()}
    sources = {f.abs_src_path for f in pages.values()}
    theme = [config.docs_dir + os.sep, (config.theme.custom_dir or config.docs_dir) + os.sep]

    def site_wide(path):
        """The configuration, the theme's overrides, an asset: what every page may depend on."""
        return path == os.path.abspath(config.config_file_path) or (
            path.startswith(tuple(theme)) and path not in sources
        )

    if full or list(pages) != order or any(map(site_wide, changed)):
        full = True
        rebuilt = set(pages)
        clean_directory(config.site_dir)
    else:
        rebuilt = {uri for uri in pages if opened[uri] & changed}
        rebuilt |= {uri for uri in pages if links_to[uri] & rebuilt}
    stamps.clear()
    stamps.update(now)
    order = list(pages)
    for uri, file in pages.items():
        file.is_modified = (lambda yes: lambda: yes)(uri in rebuilt)
        if uri in rebuilt:
            opened[uri], links_to[uri] = set(), set()
    return files


@event_priority(100)
def on_pre_page(page, config, files):
    global current
    if ACTIVE:
        current = page.file.src_uri
    return page


@event_priority(-100)
def on_page_content(html, page, config, files):
    global current
    if ACTIVE:
        links_to[page.file.src_uri] = {f.src_uri for f in page.links_to_anchors or {}}
        current = None
    return html


def search(config):
    return next(p for p in config.plugins.values() if type(p).__name__ == "SearchPlugin")


@event_priority(100)
def on_page_context(context, page, config, nav):
    global current, search_before
    if ACTIVE:
        current = page.file.src_uri
        search_before = len(search(config).search_index.entries)
    return context


@event_priority(-100)
def on_post_page(output, page, config):
    global current
    if ACTIVE:
        entries[page.file.src_uri] = search(config).search_index.entries[search_before:]
        in_page_order(config)
        current = None
    return output


@event_priority(-100)
def on_post_build(config):
    """What this build wrote, for the author (and tools/author_loop.py), once it is all written."""
    global full
    if SERVING:
        what = "every page" if full or not ACTIVE else ", ".join(sorted(rebuilt)) or "no page"
        log.info("Build %d: %s in %.0f ms", builds, what, (time.perf_counter() - started) * 1000)
        full = False


def on_build_error(error):
    """After a failed build nothing recorded can be trusted (a missing include opened no file)."""
    global full, current
    full, current = True, None
    if SERVING:
        log.info("Build %d failed", builds)
