"""A real browser (Debian's chromium + chromedriver, driven by selenium) against
the app under waitress, as `kb serve` runs it: ask a question, see the answer
panel and results, follow a result to the highlighted passage, apply a facet.
axe-core checks every page; a 'serious' or 'critical' violation fails the test.
Screenshots are saved under the test's tmp dir."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from tests.support import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists() and AXE.exists()),
        reason="needs Debian chromium + chromium-driver and node_modules/axe-core "
        "(make browser-deps)",
    ),
]


@pytest.fixture(scope="module")
def base_url(web_settings):
    from search_app.cli.serving import make_server

    server = make_server(web_settings.replace(host="127.0.0.1", port=0))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,1400", "--lang=sv"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profil')}")
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(120)
    browser.set_script_timeout(120)
    yield browser
    browser.quit()


def check_accessibility(driver, name: str) -> None:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-fel', impact: 'critical',"
        " description: String(e), nodes: []}]));",
        AXE_TAGS,
    )
    bad = [v for v in found if v.get("impact") in ("serious", "critical")]
    summary = [{"id": v["id"], "impact": v["impact"], "description": v["description"],
                "nodes": [n.get("target") for n in v.get("nodes", [])][:5]} for v in bad]
    assert not bad, f"{name}: " + json.dumps(summary, ensure_ascii=False, indent=1)


def shoot(driver, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def test_question_answer_passage_and_facet(driver, base_url, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get(base_url + "/")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv"
    check_accessibility(driver, "söksidan")

    box = driver.find_element(By.ID, "q")
    box.send_keys("Vad ska överenskommelsen i Värmland leda till?", Keys.ENTER)
    panel = driver.find_element(By.CSS_SELECTOR, "section.svar")
    assert "Svar ur dokumenten" in panel.text
    hits = driver.find_elements(By.CSS_SELECTOR, ".resultat li.traff h3 a")
    assert hits, "results below the answer panel"
    shoot(driver, tmp_path, "svar")
    check_accessibility(driver, "svarssidan")

    hits[0].click()
    cited = driver.find_element(By.CSS_SELECTOR, ".citerat")
    assert "Citerat stycke" in cited.text
    assert driver.current_url.split("#", 1)[1] == cited.get_attribute("id")
    top = driver.execute_script("return arguments[0].getBoundingClientRect().top;", cited)
    assert 0 <= top < driver.execute_script("return window.innerHeight;"), "scrolled to passage"
    assert cited.find_elements(By.TAG_NAME, "mark")
    shoot(driver, tmp_path, "dokument")
    check_accessibility(driver, "dokumentsidan")

    driver.back()
    facet = driver.find_elements(By.CSS_SELECTOR, ".facetter a")[0]
    facet_label = facet.text.rsplit("(", 1)[0].strip()
    facet.click()
    chosen = driver.find_element(By.CSS_SELECTOR, ".aktiva-filter")
    assert facet_label in chosen.text
    assert driver.find_elements(By.CSS_SELECTOR, ".resultat li.traff")
    shoot(driver, tmp_path, "facett")


def test_keyword_results_and_documents_pages_pass_axe(driver, base_url, tmp_path):
    from selenium.webdriver.common.by import By

    driver.get(base_url + "/?q=samverkan")
    assert driver.find_elements(By.CSS_SELECTOR, ".resultat li.traff mark")
    assert driver.find_elements(By.CSS_SELECTOR, "nav.sidnumrering a")
    shoot(driver, tmp_path, "traffar")
    check_accessibility(driver, "träffsidan")

    driver.get(base_url + "/dokument")
    assert len(driver.find_elements(By.CSS_SELECTOR, "tbody tr")) == 4
    shoot(driver, tmp_path, "dokumentlista")
    check_accessibility(driver, "dokumentlistan")

    driver.get(base_url + "/?q=" + "x" * 501)
    assert driver.find_element(By.CSS_SELECTOR, "[role=alert]").text
    check_accessibility(driver, "felsidan")


def test_hostile_document_runs_no_script(driver, base_url):
    from selenium.webdriver.common.by import By

    driver.get(base_url + "/dokument/farlig-text")
    assert "<script>alert(1)</script>" in driver.find_element(By.TAG_NAME, "article").text
    alert_open = driver.execute_script("return typeof window.alert === 'function';")
    assert alert_open  # page loaded normally; an alert would have blocked this call


def test_the_accessibility_check_can_fail(driver, base_url):
    driver.get(base_url + "/")
    driver.execute_script("document.querySelector('label[for=q]').remove();")
    with pytest.raises(AssertionError, match="label"):
        check_accessibility(driver, "söksidan utan etikett")
