from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vlmgraph.store import memory_store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED = ROOT / "tests" / "fixtures" / "seed-awesome-list.md"


@pytest.fixture(scope="session")
def store():
    """The real catalogue in memory: what the competency questions are asked of."""
    return memory_store(DATA)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def small_data(tmp_path) -> Path:
    """A small, valid, self-contained catalogue that a test may break."""
    return write_small_records(tmp_path / "data")


def write_small_records(target: Path) -> Path:
    for relative, text in SMALL_RECORDS.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


SMALL_RECORDS = {
    "organizations/openai.yaml": "id: openai\nname: OpenAI\nsources:\n  - https://openai.com/\n",
    "organizations/lmsys.yaml": "id: lmsys\nname: LMSYS\nsources:\n  - https://lmsys.org/\n",
    "organizations/meta-ai.yaml": "id: meta-ai\nname: Meta AI\nsources:\n  - https://ai.meta.com/\n",
    "organizations/uw-madison.yaml": (
        "id: uw-madison\nname: University of Wisconsin–Madison\nsources:\n  - https://www.wisc.edu/\n"
    ),
    "papers/arxiv-2310.03744.yaml": (
        "id: arxiv-2310.03744\nname: Improved Baselines with Visual Instruction Tuning\narxiv: '2310.03744'\n"
        "sources:\n  - https://arxiv.org/abs/2310.03744\n"
    ),
    "language_models/llama-2.yaml": (
        "id: llama-2\nname: Llama 2\ndevelopers:\n  - meta-ai\nrelease_date: 2023-07\nparameters:\n  - 7B\n"
        "  - 13B\n  - 70B\nsources:\n  - https://arxiv.org/abs/2307.09288\n"
    ),
    "language_models/vicuna-v1.5.yaml": (
        "id: vicuna-v1.5\nname: Vicuna v1.5\ndevelopers:\n  - lmsys\nrelease_date: 2023-08\n"
        "derived_from:\n  - model: llama-2\n    relation: fine-tuned-from\n"
        "sources:\n  - https://huggingface.co/lmsys/vicuna-13b-v1.5\n"
    ),
    "vision_encoders/clip-vit-l-14-336.yaml": (
        "id: clip-vit-l-14-336\nname: CLIP ViT-L/14@336px\ndevelopers:\n  - openai\nparameters:\n  - 304M\n"
        "sources:\n  - https://github.com/openai/CLIP\n"
    ),
    "vision_language_models/llava-1.5.yaml": (
        "id: llava-1.5\nname: LLaVA-1.5\naliases:\n  - LLaVA 1.5\nseed_names:\n  - LLaVA-1.5\n"
        "developers:\n  - uw-madison\nrelease_date: 2023-10\nparameters:\n  - 7B\n  - 13B\n"
        "papers:\n  - arxiv-2310.03744\nlanguage_backbones:\n  - vicuna-v1.5\n"
        "vision_encoders:\n  - clip-vit-l-14-336\nsources:\n  - https://arxiv.org/abs/2310.03744\n"
        "corrections:\n  - field: parameters\n    seed_claim: 13B parameters\n"
        "    corrected: 7B and 13B\n    source: https://github.com/haotian-liu/LLaVA\n"
    ),
}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The real catalogue, built into a store and served on a loopback port: the base URL."""
    from vlmgraph.store import build

    from .live_server import serving

    folder = tmp_path_factory.mktemp("live") / "build"
    build(DATA, folder)
    with serving(folder, workers=2) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from .browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def visit(browser, live_app):
    """Open pages of the live app in a fresh browser context; ``visit(path)`` returns a Watched page."""
    from .browser import watch

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    opened = []

    def open_page(path: str):
        watched = watch(context, live_app)
        watched.page.goto(live_app + path, wait_until="networkidle")
        opened.append(watched)
        return watched

    yield open_page
    context.close()
