"""Print the links an instructor hands out, made from the repository URL in ONE place.

The URL lives in pyproject.toml, ``[project.urls] Repository``; everything else (the Binder
link, the nbgitpuller link for a JupyterHub, the Colab link and its install cell) is made
from it here, so a fork or a move changes one line.

Usage:  python scripts/class_links.py [--hub https://hub.example.edu] [--branch main]
        (or: make class-links HUB=https://hub.example.edu)
"""
import argparse
import sys
import tomllib
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_NOTEBOOK = "notebooks/00_quickstart.ipynb"


def repository_url(pyproject=ROOT / "pyproject.toml"):
    """The repository URL from pyproject.toml, or None while it is not set."""
    with open(pyproject, "rb") as f:
        urls = tomllib.load(f).get("project", {}).get("urls", {})
    url = urls.get("Repository", "").strip().removesuffix(".git").rstrip("/")
    return url or None


def class_links(url, hub=None, branch="main", notebook=FIRST_NOTEBOOK):
    """Return {name: text} of the links and the Colab install cell for repository ``url``."""
    name = url.rsplit("/", 1)[-1]
    links = {}
    github = urllib.parse.urlparse(url).netloc == "github.com"
    if github:
        path = urllib.parse.urlparse(url).path.strip("/")
        links["binder"] = (f"https://mybinder.org/v2/gh/{path}/{branch}"
                           f"?urlpath=lab/tree/{notebook}")
        links["colab"] = f"https://colab.research.google.com/github/{path}/blob/{branch}/{notebook}"
    if hub:
        query = urllib.parse.urlencode({"repo": url, "branch": branch,
                                        "urlpath": f"lab/tree/{name}/{notebook}"})
        links["nbgitpuller"] = f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"
    links["colab install cell"] = (
        "try:\n    import cnn_core\nexcept ImportError:   # not installed yet: Colab, a fresh hub\n"
        f"    %pip install --quiet \"git+{url}@{branch}\"\n"
        "    from google.colab import output\n    output.enable_custom_widget_manager()")
    return links


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", help="your JupyterHub's address, for the nbgitpuller link")
    parser.add_argument("--branch", default="main")
    args = parser.parse_args(argv)
    url = repository_url()
    if url is None:
        print("The repository's URL is not set yet: add it to pyproject.toml as\n"
              '  [project.urls]\n  Repository = "https://github.com/<owner>/<repo>"\n'
              "and run this again.", file=sys.stderr)
        return 1
    for name, text in class_links(url, args.hub, args.branch).items():
        print(f"{name}:\n{text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
