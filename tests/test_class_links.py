"""scripts/class_links.py: every class link comes from the one repository URL."""
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import class_links as cl  # noqa: E402


def test_links_for_a_github_repository_and_a_hub():
    url = "https://github.com/someone/cnn-course"
    links = cl.class_links(url, hub="https://hub.example.edu/", branch="main")
    assert links["binder"] == ("https://mybinder.org/v2/gh/someone/cnn-course/main"
                               "?urlpath=lab/tree/notebooks/00_quickstart.ipynb")
    assert links["colab"].endswith("/github/someone/cnn-course/blob/main/"
                                   "notebooks/00_quickstart.ipynb")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(links["nbgitpuller"]).query)
    assert links["nbgitpuller"].startswith("https://hub.example.edu/hub/user-redirect/git-pull?")
    assert query == {"repo": [url], "branch": ["main"],
                     "urlpath": ["lab/tree/cnn-course/notebooks/00_quickstart.ipynb"]}
    assert f'%pip install --quiet "git+{url}@main"' in links["colab install cell"]
    assert links["colab install cell"].startswith("try:\n    import cnn_core\n")


def test_non_github_repository_gets_no_binder_or_colab_link():
    links = cl.class_links("https://gitlab.example.org/a/b", hub=None)
    assert set(links) == {"colab install cell"}


def test_url_is_read_from_pyproject(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n[project.urls]\n'
                         'Repository = "https://github.com/a/b.git"\n')
    assert cl.repository_url(pyproject) == "https://github.com/a/b"
    pyproject.write_text('[project]\nname = "x"\n')
    assert cl.repository_url(pyproject) is None


def test_no_placeholder_link_and_no_second_copy_of_the_address():
    # The address lives in pyproject.toml only; the README and binder/ point to this script.
    for path in [ROOT / "README.md", *sorted((ROOT / "binder").iterdir())]:
        text = path.read_text()
        assert "OWNER/REPO" not in text, f"{path.name} has a placeholder link"
        assert "mybinder.org/v2/" not in text and "colab.research.google.com/github" not in text
