"""Build the light front-end assets into var/assets/ (ADR 21), run by `make install`.

1. Bootstrap Italia's stylesheet (612 KB) without the rules no page can use:
   PurgeCSS keeps every selector whose class, id or element appears in any
   template, Python module or script of the project (`retefamiglie/**`), so the
   templates of an app that lands later are scanned the next time this runs,
   plus the classes Bootstrap Italia's scripts add at run time (SAFELIST).
2. The Titillium Web and Lora fonts subset to Latin (Italian, English and the
   Western European languages of the families: French, Spanish, Portuguese,
   Albanian, Romanian need Latin Extended-A, kept), without hinting.
3. The site's script with the Bootstrap Italia plugins it imports bundled into
   one minified ES module by esbuild, and the stylesheet (fonts, purged
   Bootstrap Italia, the site's own rules) into one file: a first visit fetches
   two files instead of seventeen (ADR 28).

Settings point STATICFILES_DIRS at var/assets/ when it holds a build, so
collectstatic publishes these instead of the npm package's files; without it
(a checkout where this never ran), they fall back to node_modules.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
DIST = NODE_MODULES / "bootstrap-italia" / "dist"
OUT = Path(os.environ.get("RETEFAMIGLIE_VAR_DIR", ROOT / "var")) / "assets"

CONTENT = [
    "retefamiglie/**/*.html",
    "retefamiglie/**/*.py",
    "retefamiglie/**/*.js",
    "retefamiglie/**/*.txt",
    "config/**/*.py",
    # The plugins pages import: they add their own classes to the markup.
    "node_modules/bootstrap-italia/dist/plugins/navbar-collapsible.js",
    "node_modules/bootstrap-italia/dist/plugins/collapse.js",
    "node_modules/bootstrap-italia/dist/plugins/util/*.js",
]
# Classes set by Bootstrap Italia's scripts or by states a template expresses
# through a variable (alert-{{ level }}); kept whatever the scan finds.
SAFE_CLASSES = [
    "show",
    "showing",
    "hiding",
    "collapse",
    "collapsing",
    "collapsed",
    "expanded",
    "active",
    "disabled",
    "focus--mouse",
    "is-invalid",
    "is-valid",
    "was-validated",
    "htmx-request",
    "htmx-indicator",
    "htmx-swapping",
    "htmx-settling",
    "htmx-added",
]
SAFE_PATTERNS = [
    r"^alert-",
    r"^btn-",
    r"^badge",
    r"^text-bg-",
    r"^bg-",
    r"^text-",
    r"^navbar",
    r"^it-nav",
    r"^it-header",
    r"^close-",
    r"^overlay",
    r"^focus-",
]

# Basic Latin, Latin-1, Latin Extended-A, general punctuation, euro sign and the
# few symbols templates print (arrows, minus, ellipsis, trade mark).
UNICODES = (
    "U+0000-024F,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+2000-206F,U+2074,"
    "U+20AC,U+2122,U+2190-2193,U+2212,U+2215,U+FEFF,U+FFFD"
)
FONTS = {
    "fonts/titillium-web": DIST / "fonts" / "Titillium_Web",
    "fonts/lora": DIST / "fonts" / "Lora",
}


def purge_css() -> None:
    target = OUT / "bootstrap-italia" / "css"
    target.mkdir(parents=True, exist_ok=True)
    options = {
        "content": CONTENT,
        "css": [str(DIST / "css" / "bootstrap-italia.min.css")],
        "output": str(target),
        "fontFace": True,
        "keyframes": True,
        "variables": False,
    }
    # The CLI takes a JavaScript config file: JSON for the options, regular
    # expression literals for the patterns of the safe list.
    patterns = ", ".join(f"/{pattern}/" for pattern in SAFE_PATTERNS)
    options_js = json.dumps(options)[:-1]
    js_config = OUT / "purgecss.config.cjs"
    js_config.write_text(
        f"module.exports = {options_js}, "
        f'"safelist": {{"standard": [...{json.dumps(SAFE_CLASSES)}, {patterns}]}}}};\n'
    )
    subprocess.run(
        [str(NODE_MODULES / ".bin" / "purgecss"), "--config", str(js_config)],
        cwd=ROOT,
        check=True,
    )
    js_config.unlink()
    built = target / "bootstrap-italia.min.css"
    # Its source map describes the full file: not published with the purged one.
    text = built.read_text()
    text = text.replace("/*# sourceMappingURL=bootstrap-italia.min.css.map */", "")
    built.write_text(text)
    print(f"bootstrap-italia.min.css: {built.stat().st_size / 1024:.0f} KB")


def subset_fonts() -> None:
    from fontTools import subset

    for prefix, source in FONTS.items():
        target = OUT / prefix
        target.mkdir(parents=True, exist_ok=True)
        for font in sorted(source.glob("*.woff2")):
            out = target / font.name
            subset.main(
                [
                    str(font),
                    f"--unicodes={UNICODES}",
                    "--layout-features=kern,liga,calt,ccmp,locl,mark,mkmk",
                    "--flavor=woff2",
                    "--no-hinting",
                    "--desubroutinize",
                    f"--output-file={out}",
                ]
            )
        for licence in source.glob("*.txt"):
            (target / licence.name).write_bytes(licence.read_bytes())


# The scripts the templates load as modules, and the stylesheet every page
# loads; each becomes one file.
SCRIPTS = ["site.js"]
STYLESHEETS = ["all.css"]


def _build_tree() -> Path:
    """A folder laid out as the static URLs are, for esbuild to resolve the
    imports the sources write for the unbundled site (`../bootstrap-italia/…`):
    the package's plugins, the purged stylesheet, copies of our sources."""
    work = OUT / "build"
    if work.exists():
        shutil.rmtree(work)
    (work / "bootstrap-italia").mkdir(parents=True)
    (work / "bootstrap-italia" / "plugins").symlink_to(
        DIST / "plugins", target_is_directory=True
    )
    (work / "bootstrap-italia" / "css").symlink_to(
        OUT / "bootstrap-italia" / "css", target_is_directory=True
    )
    for kind in ("js", "css"):
        shutil.copytree(ROOT / "retefamiglie" / "static" / kind, work / kind)
    return work


def _esbuild(source: Path, target: Path, *options: str) -> None:
    subprocess.run(
        [
            str(NODE_MODULES / ".bin" / "esbuild"),
            str(source),
            "--bundle",
            "--minify",
            "--legal-comments=none",
            "--log-level=warning",
            *options,
            f"--outfile={target}",
        ],
        cwd=ROOT,
        check=True,
    )
    print(f"{target.relative_to(OUT)}: {target.stat().st_size / 1024:.0f} KB")


def bundle() -> None:
    """Each script the templates load as a module, and the stylesheet every
    page loads, into one file each under var/assets/{js,css}/."""
    work = _build_tree()
    for name in SCRIPTS:
        _esbuild(
            work / "js" / name,
            OUT / "js" / name,
            "--format=esm",
            "--target=es2020",
            # The package marks its plugins free of side effects, but each
            # one binds its data attributes to the document when imported.
            "--ignore-annotations",
        )
    for name in STYLESHEETS:
        # Font files stay where they are: the bundle sits in css/ as the
        # source does, so their relative URLs keep pointing at them.
        _esbuild(work / "css" / name, OUT / "css" / name, "--external:*.woff2")


def main() -> None:
    if not (DIST / "css" / "bootstrap-italia.min.css").exists():
        sys.exit("node_modules/bootstrap-italia is missing: run npm ci first")
    purge_css()
    subset_fonts()
    bundle()


if __name__ == "__main__":
    main()
